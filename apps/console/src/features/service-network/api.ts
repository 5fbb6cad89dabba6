import { api } from '../../shared/api/client';

/** An open work order the deactivated engineer still holds, as the API lists it for redispatch. */
export interface OpenWorkOrderRef {
  readonly id: string;
  readonly status: string;
}

/** POST /service-network/engineers/{id}/deactivate: recorded whatever they hold; the answer lists what to redispatch. */
export interface EngineerDeactivated {
  readonly id: string;
  readonly revision: number;
  readonly position: number;
  readonly openWorkOrders: readonly OpenWorkOrderRef[];
}

export async function deactivateEngineer(engineerId: string, reason: string): Promise<EngineerDeactivated> {
  return (await api<EngineerDeactivated>(`/service-network/engineers/${encodeURIComponent(engineerId)}/deactivate`, { method: 'POST', body: { reason } })).body;
}

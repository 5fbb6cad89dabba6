import { AgentDeactivatedError, ComplaintNotFoundError, EngineerDeactivatedError, WorkOrderNotFoundError, type DepartmentScope } from '@app/domain';

/**
 * The path's resource is answered before the body (docs/adr/0009, "Departments"): a command whose body names
 * something looked up before the command's own scope check (a department or station, an escalation target, a
 * complaint to link) refuses that name only to a caller who may see the resource in the path. To anyone else —
 * a token limited to other departments, or an id that names nothing — the answer is the resource's 404, the same
 * whatever the body says, so a refusal does not tell about a request the caller may not make.
 *
 * `requireVisible` throws the resource's 404 when the caller may not see it (the read's own check). It runs only
 * when `command` refused: a command that succeeds has passed the scope check itself. A read that fails otherwise
 * (the store unavailable) answers its own error (a 503 that tells nothing) to a caller limited to some departments,
 * who may be one that must not learn the body's refusal; a caller who sees every department gets the refusal.
 * A deactivated agent or engineer is told so first, whatever the resource (the refusal says nothing about it).
 */
export async function pathResourceFirst<T>(scope: DepartmentScope, requireVisible: () => Promise<unknown>, command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (refusal) {
    if (refusal instanceof AgentDeactivatedError || refusal instanceof EngineerDeactivatedError) throw refusal;
    const failed = await requireVisible().then(() => undefined, (error: unknown) => error);
    throw failed === undefined || (scope === 'all' && !isNotFound(failed)) ? refusal : failed;
  }
}

/** The 404 of the reads this wraps: a complaint's (GetComplaintQuery) or a work order's (GetWorkOrderQuery). */
function isNotFound(error: unknown): boolean {
  return error instanceof ComplaintNotFoundError || error instanceof WorkOrderNotFoundError;
}

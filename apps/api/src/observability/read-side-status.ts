import type { EventStore } from '@app/event-store';
import type { SlaQuery } from '@app/read-models';
import type { ReadModelPosition } from '../read-models/read-model-position';
import type { ReadSideGauges } from './metrics';

export interface ProjectionStatusRow {
  readonly projection: string;
  readonly position: number;
  /** Head position minus the read model's position; positions are not event counts on every engine. */
  readonly behind: number;
  /** Age of the oldest event the read model has not applied yet; 0 when caught up. */
  readonly lagSeconds: number;
}

/**
 * How far each live read model is behind the event log, measured from the stores (so it is right
 * whether the projector runs in this process or in its own), and the open SLA breaches.
 */
export class ReadSideStatus implements ReadSideGauges {
  constructor(
    private readonly eventStore: EventStore,
    private readonly readModels: ReadModelPosition,
    private readonly sla: SlaQuery,
    private readonly now: () => Date,
  ) {}

  async projections(): Promise<ProjectionStatusRow[]> {
    const head = await this.eventStore.headPosition();
    return Promise.all((await this.readModels.committed()).map(async ({ projection, position }): Promise<ProjectionStatusRow> => {
      if (position >= head) return { projection, position, behind: 0, lagSeconds: 0 };
      // Positions may be byte offsets (KurrentDB): read from the checkpoint itself and skip it, never position + 1.
      const next = (await this.eventStore.readAll(position === 0 ? { maxCount: 1 } : { fromPosition: position, maxCount: 2 }))
        .find((event) => event.position > position);
      const lagSeconds = next ? Math.max(0, (this.now().getTime() - Date.parse(next.recordedAt)) / 1000) : 0;
      return { projection, position, behind: head - position, lagSeconds };
    }));
  }

  openBreaches(): Promise<Record<string, number>> {
    return this.sla.openBreachCounts();
  }
}

import type { EventStore } from '@app/event-store';
import { generationOf } from '@app/projections';
import { ALL_PROJECTIONS, type SlaQuery } from '@app/read-models';
import type { ReadStore } from '@app/read-store';
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
    private readonly readStore: ReadStore,
    private readonly sla: SlaQuery,
    private readonly now: () => Date,
  ) {}

  async projections(): Promise<ProjectionStatusRow[]> {
    const head = await this.eventStore.headPosition();
    const live = await this.readStore.liveGenerations();
    return Promise.all(ALL_PROJECTIONS.map(async (projection): Promise<ProjectionStatusRow> => {
      const position = await this.readStore.checkpoint(live[projection.name] ?? generationOf(projection));
      if (position >= head) return { projection: projection.name, position, behind: 0, lagSeconds: 0 };
      // Positions may be byte offsets (KurrentDB): read from the checkpoint itself and skip it, never position + 1.
      const next = (await this.eventStore.readAll(position === 0 ? { maxCount: 1 } : { fromPosition: position, maxCount: 2 }))
        .find((event) => event.position > position);
      const lagSeconds = next ? Math.max(0, (this.now().getTime() - Date.parse(next.recordedAt)) / 1000) : 0;
      return { projection: projection.name, position, behind: head - position, lagSeconds };
    }));
  }

  openBreaches(): Promise<Record<string, number>> {
    return this.sla.openBreachCounts();
  }
}

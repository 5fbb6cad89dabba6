import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventStore } from '@app/event-store';
import type { ProjectorStalls } from './projector-watch';

/** The route of a command → its name in the metrics (POST only; undefined for queries). */
export function commandOf(method: string, route: string | undefined): string | undefined {
  if (method !== 'POST' || route === undefined) return undefined;
  if (route === '/complaints') return 'receive';
  const complaintCommand = /^\/complaints\/:id\/([a-z-]+)$/.exec(route);
  if (complaintCommand) return complaintCommand[1];
  if (route === '/access/tokens') return 'issue-token';
  if (route === '/access/tokens/:tokenId/revoke') return 'revoke-token';
  return undefined;
}

/** What /metrics reports about the read side, measured when Prometheus scrapes. */
export interface ReadSideGauges {
  projections(): Promise<ReadonlyArray<{ projection: string; position: number; behind: number; lagSeconds: number }>>;
  openBreaches(): Promise<Record<string, number>>;
  /** The projection worker's crashes since the start (0 without a worker). */
  projectorRestarts?(): number;
  /** The projections that threw and wait for their retry. */
  failing?(): Promise<ReadonlyArray<{ projection: string }>>;
  /** A projector in another process as the stores show it (those in `failing` left out); undefined while the projections run here. */
  stalls?(failing: ReadonlySet<string>): Promise<ProjectorStalls | undefined>;
}

/**
 * The process's metrics in the Prometheus text format, under `complaint_desk_`: HTTP requests and
 * commands by outcome with latency histograms, events appended, projection position and lag,
 * open SLA breaches, and Node's own process metrics.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({ name: 'complaint_desk_http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  private readonly requestSeconds = new Histogram({
    name: 'complaint_desk_http_request_duration_seconds', help: 'HTTP request latency by method and route', labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry],
  });
  private readonly commands = new Counter({ name: 'complaint_desk_commands_total', help: 'Commands by type and outcome (accepted, or the refusal status)', labelNames: ['command', 'outcome'], registers: [this.registry] });
  private readonly commandSeconds = new Histogram({
    name: 'complaint_desk_command_duration_seconds', help: 'Command latency, from request to durable events', labelNames: ['command'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry],
  });
  private readonly appended = new Counter({ name: 'complaint_desk_events_appended_total', help: 'Events in the appends this process made (a retry the store recognised counts again)', registers: [this.registry] });
  private readSide: ReadSideGauges | undefined;
  private scrape: {
    projections: ReadonlyArray<{ projection: string; position: number; behind: number; lagSeconds: number }>; openBreaches: Record<string, number>; failing: ReadonlySet<string>;
    stalls: ProjectorStalls | undefined;
  } = { projections: [], openBreaches: {}, failing: new Set(), stalls: undefined };

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'complaint_desk_' });
    const metrics = this;
    const projectionGauges: Array<[string, string, 'position' | 'behind' | 'lagSeconds']> = [
      ['complaint_desk_projection_position', 'Last event position applied by each live read model', 'position'],
      // Events, not positions: a difference of positions is bytes on KurrentDB (it was _behind_positions).
      ['complaint_desk_projection_behind_events', 'Events in the log after the read model\'s position, counted up to 1000 (1000: that many or more, GET /health/ready\'s behindAtLeast tells which; 0 when caught up)', 'behind'],
      ['complaint_desk_projection_lag_seconds', 'Age of the oldest event a read model has not applied yet (0 when caught up)', 'lagSeconds'],
    ];
    for (const [name, help, field] of projectionGauges) {
      new Gauge({
        name, help, labelNames: ['projection'], registers: [this.registry],
        collect() {
          for (const row of metrics.scrape.projections) this.set({ projection: row.projection }, row[field]);
        },
      });
    }
    new Gauge({
      name: 'complaint_desk_projection_failing', help: '1 while a projection is failing (it stays at its checkpoint and is retried; /health names the event and the error), else 0',
      labelNames: ['projection'], registers: [this.registry],
      collect() {
        for (const row of metrics.scrape.projections) this.set({ projection: row.projection }, metrics.scrape.failing.has(row.projection) ? 1 : 0);
      },
    });
    // What /health names of a projector in another process (ProjectorWatch), as numbers to alert on; left out while the projections run here.
    new Gauge({
      name: 'complaint_desk_read_model_stalled_seconds',
      help: 'Seconds a read model has stood at one checkpoint while events wait after it, once that is PROJECTION_STALL_MS or more, else 0 (a failing one is 0: see projection_failing); '
        + 'only while its projector runs in another process (PROJECTIONS=external, or another instance holds the lease)',
      labelNames: ['projection'], registers: [this.registry],
      collect() {
        this.reset();
        const stalls = metrics.scrape.stalls;
        if (stalls === undefined) return;
        for (const row of metrics.scrape.projections) this.set({ projection: row.projection }, stalls.stalled.find((stalled) => stalled.projection === row.projection)?.seconds ?? 0);
      },
    });
    new Gauge({
      name: 'complaint_desk_projector_lease_held', help: 'With PROJECTIONS=external: 1 while a projector holds the lease, 0 while none does (no projection runs)', labelNames: ['lease'], registers: [this.registry],
      collect() {
        this.reset();
        const held = metrics.scrape.stalls?.leaseHeld;
        if (held !== undefined) this.set({ lease: 'projector' }, held ? 1 : 0);
      },
    });
    new Gauge({
      name: 'complaint_desk_projection_worker_restarts', help: 'Crashes of the projection worker thread since the process started (each logged, then restarted with backoff)', registers: [this.registry],
      collect() {
        this.set(metrics.readSide?.projectorRestarts?.() ?? 0);
      },
    });
    new Gauge({
      name: 'complaint_desk_sla_breaches_open', help: 'SLA clocks breached with the step still missing, by clock', labelNames: ['clock'], registers: [this.registry],
      collect() {
        for (const [clock, count] of Object.entries(metrics.scrape.openBreaches)) this.set({ clock }, count);
      },
    });
  }

  /** The read side is known once the app is composed. */
  attachReadSide(readSide: ReadSideGauges): void {
    this.readSide = readSide;
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.requestSeconds.observe({ method, route }, seconds);
    const command = commandOf(method, route);
    if (command !== undefined) {
      this.commands.inc({ command, outcome: status < 300 ? 'accepted' : String(status) });
      this.commandSeconds.observe({ command }, seconds);
    }
  }

  /** The store, counting the events each successful append wrote (methods bound once, not on every call). */
  meter<T extends EventStore>(store: T): T {
    const appended = this.appended;
    const bound = new Map<PropertyKey, unknown>();
    bound.set('append', async (...args: Parameters<EventStore['append']>) => {
      const result = await store.append(...args);
      appended.inc(args[1].length);
      return result;
    });
    bound.set('appendToStreams', async (...args: Parameters<EventStore['appendToStreams']>) => {
      const results = await store.appendToStreams(...args);
      appended.inc(args[0].reduce((count, append) => count + append.events.length, 0));
      return results;
    });
    return new Proxy(store, {
      get(target, property, receiver) {
        if (bound.has(property)) return bound.get(property);
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const method = (value as (...a: unknown[]) => unknown).bind(target);
        bound.set(property, method);
        return method;
      },
    });
  }

  private rendering: Promise<string> | undefined;

  /**
   * Measures the read side once, then renders every metric (a store that does not answer leaves its
   * gauges out). Scrapes that arrive while one is being rendered share its answer, so a flood of
   * scrapes costs one render at a time.
   */
  text(): Promise<string> {
    this.rendering ??= this.render().finally(() => {
      this.rendering = undefined;
    });
    return this.rendering;
  }

  private async render(): Promise<string> {
    const [projections, openBreaches, failing] = await Promise.all([
      this.readSide ? this.readSide.projections().catch(() => []) : [],
      this.readSide ? this.readSide.openBreaches().catch(() => ({})) : {},
      this.readSide?.failing ? this.readSide.failing().catch(() => []) : [],
    ]);
    const failingSet = new Set(failing.map((failure) => failure.projection));
    const stalls = this.readSide?.stalls ? await this.readSide.stalls(failingSet).catch(() => undefined) : undefined;
    this.scrape = { projections, openBreaches, failing: failingSet, stalls };
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

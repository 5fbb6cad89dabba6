import type { AsOfBuildProgress, AsOfEntry, AsOfBuilder, AsOfUntil } from '@app/read-models';
import type { ProjectionFailure } from '@app/projections';
import type { NotificationConfig } from '../notifications/notification-config';
import type { StoreSettings } from './worker-thread';

/** What a read-side worker thread is started for. */
export type ReadSideTask =
  /** `names`: only these projections (one of several threads); all of them when absent. */
  | { readonly kind: 'projections'; readonly names?: readonly string[] }
  | { readonly kind: 'as-of'; readonly until: AsOfUntil; readonly untilText: string; readonly name: string; readonly builder: AsOfBuilder }
  /** The notifier (planner and sender, docs/adr/0017) with these settings. */
  | { readonly kind: 'notifier'; readonly notifications: NotificationConfig };

export interface ReadSideWorkerData {
  readonly stores: StoreSettings;
  readonly task: ReadSideTask;
}

/** Each projection's committed position, whether it has caught up, and what stops it if it is failing (ProjectionRunner.positions). */
export type ProjectionPositions = Record<string, { position: number; caughtUp: boolean; failure?: ProjectionFailure }>;

/** From the main thread to a worker. */
export type ToWorker = { readonly type: 'stop' };

/** From a worker to the main thread. */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'positions'; readonly positions: ProjectionPositions }
  | { readonly type: 'log'; readonly level: 'error' | 'warn' | 'info'; readonly message: string }
  | { readonly type: 'progress'; readonly progress: AsOfBuildProgress }
  | { readonly type: 'built'; readonly entry: AsOfEntry }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'cancelled' }
  /** What the notifier says is failing (its problems()), sent when it changes. */
  | { readonly type: 'problems'; readonly problems: readonly string[] }
  | { readonly type: 'stopped'; readonly positions: ProjectionPositions };

import type { AppendResult, EventToAppend, ExpectedRevision, StreamAppend } from '../event-store.port';
import { SqliteEventStore } from '../sqlite/sqlite.event-store';

/**
 * A store that runs a hook before an append, to one stream or atomically to several: a crash, or
 * another process getting in between the decisions and the append.
 */
export class HookedStore extends SqliteEventStore {
  beforeAppend: ((appends: readonly StreamAppend[]) => Promise<void>) | undefined;

  override async append(stream: string, events: readonly EventToAppend[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    const hook = this.beforeAppend;
    if (hook) await hook([{ stream, events, ...options }]);
    return super.append(stream, events, options);
  }

  override async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const hook = this.beforeAppend;
    if (hook) await hook(appends);
    return super.appendToStreams(appends);
  }
}

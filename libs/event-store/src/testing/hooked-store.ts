import type { AppendResult, StreamAppend } from '../event-store.port';
import { SqliteEventStore } from '../sqlite/sqlite.event-store';

/** A store that runs a hook before an atomic append to several streams: a crash, or another process getting in between the decisions and the append. */
export class HookedStore extends SqliteEventStore {
  beforeAppend: ((appends: readonly StreamAppend[]) => Promise<void>) | undefined;

  override async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const hook = this.beforeAppend;
    if (hook) await hook(appends);
    return super.appendToStreams(appends);
  }
}

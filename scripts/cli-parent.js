'use strict';
/**
 * Preloaded (`--require`) into the CLI's process by scripts/cli.js: ends it as SIGTERM would once that launcher is
 * gone without passing a signal on (killed with SIGKILL, which no process can catch), so that no orphan goes on
 * with a replay or an import the user stopped. The launcher holds the other end of the IPC channel it opened:
 * the channel closes when the launcher ends, however it ends. The channel keeps nothing alive.
 */
if (process.channel) {
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

/**
 * A count and its noun, in the singular for one ("1 event", "2 events"), its digits grouped as the
 * progress lines group them ("33,135 events"): English only, for the
 * messages of the CLI and the audit (the console words its counts per language itself). Here, the
 * lowest library, so that the audit (libs/complaints) and the CLI share the one definition.
 */
export const counted = (count: number, noun: string): string => `${count.toLocaleString('en-US')} ${count === 1 ? noun : `${noun}s`}`;

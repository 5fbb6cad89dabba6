import type { ActionRefusal } from './complaint.actions';

/**
 * A dry-run decision (allowedActions' "may this action run?"), run with stack traces off: `decide` runs
 * the decision with placeholder data, and what it throws is turned into the refusal to show (or null, the
 * action allowed) by `refusalOf`, which may throw what is no refusal. Most such probes end in a thrown
 * refusal, and capturing its stack is most of what the throw costs; the stack is never read, only the
 * refusal's code and message. Error.stackTraceLimit is put back before this returns or throws, and the
 * decision is synchronous, so nothing else runs in between (docs/adr/0003, "allowedActions without stacks").
 */
export function probeWithoutStacks(decide: () => unknown, refusalOf: (error: unknown) => ActionRefusal | null): ActionRefusal | null {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    decide();
    return null;
  } catch (error) {
    try {
      return refusalOf(error);
    } catch (unexpected) {
      // What is no refusal is a fault, whose error was made without a stack: decided again with stacks on, so that what
      // is thrown (and logged with the 500) says where it came from; the decision is a dry run, so running it again is safe.
      Error.stackTraceLimit = stackTraceLimit;
      decide();
      throw unexpected;
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

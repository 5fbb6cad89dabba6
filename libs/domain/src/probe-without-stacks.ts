/**
 * Runs a dry-run decision (allowedActions' "may this action run?") with stack traces off. Such a
 * probe ends in a thrown refusal for most actions, and capturing the refusal's stack is most of what
 * the throw costs; the stack is never read, only the refusal's code and message. Error.stackTraceLimit
 * is put back before this returns or throws, and the decision is synchronous, so nothing else runs in
 * between (docs/adr/0003, "allowedActions without stacks").
 */
export function probeWithoutStacks<T>(probe: () => T): T {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return probe();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

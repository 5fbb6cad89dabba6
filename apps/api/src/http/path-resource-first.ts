/**
 * The path's resource is answered before the body (docs/adr/0009, "Departments"): a command whose body names
 * something looked up before the command's own scope check (a department or station, an escalation target, a
 * complaint to link) refuses that name only to a caller who may see the resource in the path. To anyone else —
 * a token limited to other departments, or an id that names nothing — the answer is the resource's 404, the same
 * whatever the body says, so a refusal does not tell about a request the caller may not make.
 *
 * `requireVisible` throws the resource's 404 when the caller may not see it (the read's own check). It runs only
 * when `command` refused: a command that succeeds has passed the scope check itself. A read that fails otherwise
 * (the store unavailable) leaves the command's own refusal as the answer.
 */
export async function pathResourceFirst<T>(requireVisible: () => Promise<unknown>, command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (refusal) {
    const hidden = await requireVisible().then(() => undefined, (error: unknown) => (isNotFound(error) ? error : undefined));
    throw hidden ?? refusal;
  }
}

/**
 * A "not found" of the read (ComplaintNotFoundError, whose code is complaint-not-found; WorkOrderNotFoundError, of kind not-found),
 * told by its kind or code rather than by class: the error may come from another module context.
 */
function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { kind, code } = error as { kind?: unknown; code?: unknown };
  return kind === 'not-found' || (typeof code === 'string' && code.endsWith('-not-found'));
}

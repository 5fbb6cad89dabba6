import { ComplaintDeskError, commandHeaders, createComplaintDeskClient, newIdempotencyKey, unwrap, type Schema } from '@complaint-desk/client';

const desk = createComplaintDeskClient({
  baseUrl: 'https://desk.example.com', // the API; its CORS_ORIGINS lists this page's origin
  token: () => sessionStorage.getItem('complaint-desk-token') ?? undefined,
});

/** The intake form: the new complaint's id, or the message of each invalid field. */
export async function receive(form: Schema<'ReceiveComplaintDto'>): Promise<{ id: string } | { fieldErrors: Record<string, string> }> {
  try {
    const { id } = await unwrap(desk.POST('/complaints', { body: form }));
    return { id };
  } catch (error) {
    if (error instanceof ComplaintDeskError && error.code === 'validation-failed') {
      return { fieldErrors: Object.fromEntries((error.problem?.errors ?? []).map(({ field, message }) => [field, message])) };
    }
    throw error;
  }
}

/** A supervisor's queue: validated complaints, newest first, a page at a time (pass nextCursor back). */
export function validatedQueue(cursor?: string): Promise<Schema<'ComplaintPageDto'>> {
  return unwrap(desk.GET('/complaints', { params: { query: { status: 'validated', limit: 20, ...(cursor ? { cursor } : {}) } } }));
}

/**
 * Assigns the complaint as the supervisor saw it: If-Match carries the revision on screen, so a decision
 * someone took meanwhile is not overwritten; the Idempotency-Key, made when the dialog opened, makes a
 * resend after a network error safe.
 */
export async function assign(shown: Schema<'ComplaintViewDto'>, dialogKey: string, department: string, assignee: string): Promise<string> {
  const { data, error } = await desk.POST('/complaints/{id}/assign', {
    params: { path: { id: shown.id }, header: commandHeaders({ expectedRevision: shown.revision, idempotencyKey: dialogKey }) },
    body: { department, assignee },
  });
  if (data) return `Assigned (revision ${data.revision}).`;
  switch (error.code) {
    case 'revision-mismatch': return 'Someone changed this complaint meanwhile: reload it and decide again.';
    case 'not-validated': return 'Judge the complaint well-founded first.';
    default: return error.detail;
  }
}

export const openAssignDialog = () => ({ key: newIdempotencyKey() });

/**
 * The one way the console talks to the API: same origin, JSON, the bearer token from this tab's
 * sessionStorage (never in a URL, never logged), errors as RFC 9457 problems.
 */
const TOKEN_KEY = 'complaint-desk.token';

export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

export interface Problem {
  readonly status: number;
  readonly title?: string;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: ReadonlyArray<{ readonly field: string; readonly message: string }>;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export interface ApiAnswer<T> {
  readonly body: T;
  /** The revision of the resource (ETag without quotes), when the API sent one. */
  readonly revision: number | null;
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly query?: Record<string, string | number | undefined>;
  readonly body?: unknown;
  /** A multipart body (an upload): the browser sets its Content-Type with the boundary. */
  readonly form?: FormData;
  /** The revision decided on: the API answers 412 if the resource changed since. */
  readonly ifMatch?: number;
  readonly token?: string;
  readonly signal?: AbortSignal;
}

/** Listeners told when the API refuses the token (401): the console signs out. */
const unauthorisedListeners = new Set<() => void>();
/**
 * A refusal heard before anyone listened: the console asks its first requests before React renders
 * (app/first-screen.ts), so the listener that signs out may come after a stale token's 401.
 */
let unheardRefusal = false;
export const onUnauthorised = (listener: () => void): (() => void) => {
  unauthorisedListeners.add(listener);
  if (unheardRefusal) {
    unheardRefusal = false;
    queueMicrotask(listener);
  }
  return () => unauthorisedListeners.delete(listener);
};

export function pathWithQuery(path: string, query: RequestOptions['query'] = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

export async function request(path: string, options: RequestOptions & { accept?: string } = {}): Promise<Response> {
  const token = options.token ?? tokenStore.get();
  const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
  if (token) headers['Authorization'] = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['If-Match'] = `"${options.ifMatch}"`;
  const response = await fetch(pathWithQuery(path, options.query), {
    method: options.method ?? 'GET',
    headers,
    body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    credentials: 'omit',
    signal: options.signal,
  });
  if (!response.ok) {
    let problem: Problem = { status: response.status };
    try {
      problem = { ...(await response.json() as Problem), status: response.status };
    } catch {
      // not JSON: keep the status
    }
    if (response.status === 401 && options.token === undefined) {
      if (unauthorisedListeners.size === 0) unheardRefusal = true;
      for (const listener of unauthorisedListeners) listener();
    }
    throw new ApiError(response.status, problem);
  }
  return response;
}

/**
 * Answers asked before the console's code had loaded (app/first-requests.ts), by address: the first api() call that
 * asks the same (a plain GET) takes the answer instead of asking again; any later call asks the API.
 */
const earlyAnswers = new Map<string, Promise<Response>>();

export function askEarly(path: string, query?: RequestOptions['query']): void {
  const answer = request(path, { query });
  // Its failure is the api() call's that takes it (a problem, a 401's sign-out); none is left unhandled meanwhile.
  answer.catch(() => undefined);
  earlyAnswers.set(pathWithQuery(path, query), answer);
}

function takeEarlyAnswer(path: string, options: RequestOptions): Promise<Response> | undefined {
  if (options.method !== undefined || options.body !== undefined || options.form !== undefined || options.token !== undefined || options.ifMatch !== undefined) return undefined;
  const key = pathWithQuery(path, options.query);
  const answer = earlyAnswers.get(key);
  earlyAnswers.delete(key);
  return answer;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
  const response = await (takeEarlyAnswer(path, options) ?? request(path, options));
  const etag = response.headers.get('ETag');
  const revision = etag === null ? null : Number(etag.replaceAll('"', ''));
  const text = await response.text();
  return { body: (text === '' ? undefined : JSON.parse(text)) as T, revision: Number.isInteger(revision) ? revision : null };
}

/** Downloads a file answer (an attachment): fetched with the token in a header, saved under the name the API gives (filename*, RFC 5987). */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  const response = await request(path, { accept: '*/*' });
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  let name = fallbackName;
  try {
    if (encoded) name = decodeURIComponent(encoded);
  } catch {
    // a malformed name: keep the fallback
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Downloads a CSV answer as a file: fetched with the token in a header, saved through an object URL. */
export async function downloadCsv(path: string, query: RequestOptions['query'], fallbackName: string): Promise<void> {
  const response = await request(path, { query: { ...query, format: 'csv', bom: 1 }, accept: 'text/csv' });
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

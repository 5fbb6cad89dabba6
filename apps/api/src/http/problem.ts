/** RFC 9457 problem details; every error response of the API has this shape. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly code?: string;
  readonly errors?: ReadonlyArray<{ readonly field: string; readonly message: string }>;
  readonly [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://complaint-desk.dev/problems/';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  414: 'URI too long',
  431: 'Request header fields too large',
  408: 'Request timeout',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problem(status: number, detail: string, extra: Partial<Problem> & Record<string, unknown> = {}): Problem {
  const code = extra.code ?? slug(TITLES[status] ?? `status ${status}`);
  return { type: `${TYPE_BASE}${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...extra };
}

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

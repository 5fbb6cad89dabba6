/**
 * Which routes read each projection's read model (the names are the API's: libs/read-models
 * all-projections.ts, as GET /health names a failing one). The banner tells a person of a failing
 * projection only if they may call one of its routes. test/architecture/console-stale-banner.spec.ts
 * holds this map to the API's projections and routes, so that a new projection cannot go unannounced.
 */
export const READ_BY = {
  'complaint-list': ['GET /complaints'],
  sla: ['GET /sla/at-risk', 'GET /sla/breaches', 'GET /sla/compliance'],
  'complaint-stats': ['GET /stats/complaints'],
  'customer-loyalty': ['GET /stats/loyalty', 'GET /customers'],
  'audit-decisions': ['GET /audit/decisions'],
  'customer-files': ['GET /customers/files', 'GET /customers/alerts'],
  'work-order-list': ['GET /work-orders', 'GET /work-orders/board'],
  'work-order-sla': ['GET /work-orders/board'],
  'repair-stats': ['GET /stats/stations', 'GET /stats/engineers'],
  'repair-fees': ['GET /stats/repair-fees'],
  'repair-history': ['GET /customers/:id', 'GET /products/:serial'],
  'survey-list': ['GET /surveys', 'GET /stats/surveys'],
} as const satisfies Record<string, readonly string[]>;

export type Projection = keyof typeof READ_BY;

export const isKnownProjection = (projection: string): projection is Projection => Object.hasOwn(READ_BY, projection);

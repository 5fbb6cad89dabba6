import { ROLES, type Role } from '@app/domain';

const EVERY_ROLE = ROLES;
const COMMANDERS: Role[] = ['agent', 'supervisor', 'admin'];
const MANAGERS: Role[] = ['supervisor', 'admin'];
const READERS: Role[] = ['supervisor', 'analyst', 'auditor', 'admin'];
const AUDITORS: Role[] = ['auditor', 'admin'];
/** Work orders: the desk reports and dispatches, the engineer works on site, supervisors redispatch, cancel and escalate. */
const DESK: Role[] = ['agent', 'supervisor', 'admin'];
const FIELD: Role[] = ['engineer', 'admin'];
const FIELD_AND_DESK: Role[] = ['agent', 'supervisor', 'engineer', 'admin'];
/** The desk that dispatches and follows repairs, and the engineers (narrowed to their stations). */
const REPAIR_DESK: Role[] = ['agent', 'engineer', ...READERS];

/**
 * Who may call what. Every route the app registers must be listed here (the first test fails
 * otherwise), so a new endpoint cannot ship without a decision about its access.
 */
export const MATRIX: Record<string, readonly Role[] | 'public'> = {
  'POST /complaints': COMMANDERS,
  'POST /complaints/:id/validate': MANAGERS,
  'POST /complaints/:id/reject': MANAGERS,
  'POST /complaints/:id/assign': MANAGERS,
  'POST /complaints/:id/apologise': COMMANDERS,
  'POST /complaints/:id/escalate': MANAGERS,
  'POST /complaints/:id/resolve': COMMANDERS,
  'POST /complaints/:id/callback': COMMANDERS,
  'POST /complaints/:id/reopen': MANAGERS,
  'POST /complaints/:id/visit': COMMANDERS,
  'POST /complaints/:id/notes': COMMANDERS,
  'POST /complaints/:id/contact': COMMANDERS,
  'POST /complaints/:id/correct': MANAGERS,
  'GET /complaints/:id': EVERY_ROLE,
  'GET /complaints/:id/events': EVERY_ROLE,
  'GET /complaints': EVERY_ROLE,
  'GET /complaints/:id/trail': AUDITORS,
  'GET /audit/decisions': AUDITORS,
  'GET /audit/verify': AUDITORS,
  'GET /audit/access': AUDITORS,
  'GET /sla/breaches': READERS,
  'GET /sla/at-risk': READERS,
  'GET /sla/compliance': READERS,
  'GET /stats/complaints': READERS,
  'GET /customers': READERS,
  'GET /customers/:id': READERS,
  'POST /customers': COMMANDERS,
  'POST /customers/:id/reclassify': COMMANDERS,
  'POST /customers/:id/basics': COMMANDERS,
  'POST /customers/:id/consumption-profile': COMMANDERS,
  'POST /customers/:id/contract': COMMANDERS,
  'POST /customers/:id/facilities': COMMANDERS,
  'POST /customers/:id/other-channels': COMMANDERS,
  'POST /customers/:id/importance': COMMANDERS,
  'POST /customers/:id/segments': COMMANDERS,
  'POST /customers/:id/contacts': COMMANDERS,
  'POST /customers/:id/contacts/change': COMMANDERS,
  'POST /customers/:id/contacts/remove': COMMANDERS,
  'POST /customers/:id/visits': COMMANDERS,
  'POST /customers/:id/evaluations': COMMANDERS,
  'POST /customers/:id/consumption': COMMANDERS,
  'POST /customers/:id/merge': MANAGERS,
  'POST /customers/:id/erase': ['admin'],
  'GET /customers/:id/file': EVERY_ROLE,
  'GET /customers/:id/events': EVERY_ROLE,
  'GET /customers/files': EVERY_ROLE,
  'GET /customers/alerts': EVERY_ROLE,
  'GET /customers/importance-loyalty': READERS,
  'GET /work-orders': REPAIR_DESK,
  'GET /work-orders/board': REPAIR_DESK,
  'GET /stats/engineers': READERS,
  'GET /stats/stations': READERS,
  'GET /stats/repair-fees': READERS,
  'POST /access/tokens': ['admin'],
  'POST /access/tokens/:tokenId/revoke': ['admin'],
  'GET /access/tokens': ['admin', 'auditor'],
  'POST /analytics/as-of': ['analyst', 'admin'],
  'GET /analytics/as-of': READERS,
  'GET /analytics/as-of/:name': READERS,
  'DELETE /analytics/as-of/:name': ['analyst', 'admin'],
  'POST /work-orders': DESK,
  'POST /work-orders/:id/contact': FIELD_AND_DESK,
  'POST /work-orders/:id/dispatch': DESK,
  'POST /work-orders/:id/redispatch': MANAGERS,
  'POST /work-orders/:id/remote-diagnosis': FIELD_AND_DESK,
  'POST /work-orders/:id/schedule-visit': FIELD_AND_DESK,
  'POST /work-orders/:id/arrive': FIELD,
  'POST /work-orders/:id/failed-visit': FIELD_AND_DESK,
  'POST /work-orders/:id/findings': FIELD,
  'POST /work-orders/:id/quote': FIELD,
  'POST /work-orders/:id/confirm-quote': FIELD_AND_DESK,
  'POST /work-orders/:id/refuse-quote': FIELD_AND_DESK,
  'POST /work-orders/:id/work': FIELD,
  'POST /work-orders/:id/fee': FIELD_AND_DESK,
  'POST /work-orders/:id/test': FIELD,
  'POST /work-orders/:id/sign-off': FIELD,
  'POST /work-orders/:id/hand-over': FIELD_AND_DESK,
  'POST /work-orders/:id/survey': DESK,
  'POST /work-orders/:id/survey-answer': DESK,
  'POST /work-orders/:id/cancel': MANAGERS,
  'POST /work-orders/:id/reopen': DESK,
  'POST /work-orders/:id/escalate': MANAGERS,
  'POST /work-orders/:id/link-complaint': DESK,
  'GET /work-orders/:id': EVERY_ROLE,
  'GET /work-orders/:id/events': EVERY_ROLE,
  'GET /service-network': EVERY_ROLE,
  'POST /service-network/units': MANAGERS,
  'POST /service-network/units/:code/rename': MANAGERS,
  'POST /service-network/units/:code/regions': MANAGERS,
  'POST /service-network/engineers': MANAGERS,
  'POST /service-network/engineers/:engineerId/deactivate': MANAGERS,
  'POST /products': MANAGERS,
  'POST /products/:serial/extend-warranty': MANAGERS,
  'POST /products/:serial/change-owner': MANAGERS,
  'GET /products/:serial': EVERY_ROLE,
  'GET /products/:serial/warranty': EVERY_ROLE,
  // Satisfaction surveys: the desk sends them and records the answers, supervisors cancel them.
  'POST /surveys': DESK,
  'POST /surveys/:id/answer': DESK,
  'POST /surveys/:id/cancel': MANAGERS,
  'GET /surveys/:id': EVERY_ROLE,
  'GET /session': EVERY_ROLE,
  // Every role follows what it may see; the access and audit streams only reach admins and auditors (feed.e2e-spec.ts).
  'GET /feed': EVERY_ROLE,
  'GET /taxonomy': 'public',
  'GET /taxonomy/customer-files': 'public',
  'GET /taxonomy/after-sales': 'public',
  'GET /health': 'public',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  // Prometheus scrapes with METRICS_TOKEN or on METRICS_PORT instead (fairness.e2e-spec.ts).
  'GET /metrics': ['admin'],
};


/**
 * The routes that answer CSV as well as JSON (format=csv or Accept: text/csv): every list and
 * statistics table. The matrix runs each of them as CSV too, and csv-export.e2e-spec.ts compares
 * each CSV with its JSON.
 */
export const CSV_EXPORTS: readonly string[] = [
  'GET /complaints',
  'GET /sla/breaches',
  'GET /sla/at-risk',
  'GET /sla/compliance',
  'GET /stats/complaints',
  'GET /customers',
  'GET /customers/files',
  'GET /customers/alerts',
  'GET /customers/importance-loyalty',
  'GET /audit/decisions',
  'GET /access/tokens',
  'GET /work-orders',
  'GET /work-orders/board',
  'GET /stats/engineers',
  'GET /stats/stations',
  'GET /stats/repair-fees',
];

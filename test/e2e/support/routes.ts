import { ROLES, type Role } from '@app/domain';

const EVERY_ROLE = ROLES;
const COMMANDERS: Role[] = ['agent', 'supervisor', 'admin'];
const MANAGERS: Role[] = ['supervisor', 'admin'];
const READERS: Role[] = ['supervisor', 'analyst', 'auditor', 'admin'];
const AUDITORS: Role[] = ['auditor', 'admin'];

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
  'POST /access/tokens': ['admin'],
  'POST /access/tokens/:tokenId/revoke': ['admin'],
  'GET /access/tokens': ['admin', 'auditor'],
  'POST /analytics/as-of': ['analyst', 'admin'],
  'GET /analytics/as-of': READERS,
  'GET /analytics/as-of/:name': READERS,
  'DELETE /analytics/as-of/:name': ['analyst', 'admin'],
  'GET /taxonomy': 'public',
  'GET /taxonomy/customer-files': 'public',
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
];

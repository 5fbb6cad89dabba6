export * from './read-store.port';
export * from './idempotency-store.port';
export * from './sqlite/sqlite.read-store';
export * from './sqlite/sqlite.idempotency-store';
export * from './mongodb/mongodb.read-store';
export * from './mongodb/mongodb.idempotency-store';
export { databaseOf } from './mongodb/mongodb.translation';
export { newMongoClient } from './mongodb/mongodb.client';
export { CURSOR_RULE } from './query-support';

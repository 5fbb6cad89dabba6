export * from './event-store.port';
export * from './event-store.errors';
export * from './append-validation';
export * from './sqlite/sqlite.event-store';
export * from './kurrentdb/kurrentdb.event-store';
export * from './read-stream-or-empty';

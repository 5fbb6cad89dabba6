export * from './key-store.port';
export * from './master-key-wrapping';
export * from './personal-data-cipher';
export * from './sqlite/sqlite.key-store';
export * from './mongodb/mongodb.key-store';
export * from './personal-data.event-store';

export * from './read-store.port';
export * from './sqlite/sqlite.read-store';
export * from './mongodb/mongodb.read-store';
export { databaseOf } from './mongodb/mongodb.translation';

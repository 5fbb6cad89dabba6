export * from './sqlite-file';

export * from './after-sales.fixtures';

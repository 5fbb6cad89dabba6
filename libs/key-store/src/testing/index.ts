export * from './key-store.contract';

export * from './read-store.contract';
export * from './idempotency-store.contract';

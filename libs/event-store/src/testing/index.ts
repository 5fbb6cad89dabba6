export * from './event-store.contract';
export * from './hooked-store';

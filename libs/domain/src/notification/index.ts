export * from './notification.events';
export * from './notification.decider';
export * from './notification.words';

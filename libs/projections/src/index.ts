export * from './projection';
export * from './unit-of-work';
export * from './projection-runner';
export * from './catch-up-wait';
export * from './lease';
export * from './lease-holder';
export * from './background-problems';

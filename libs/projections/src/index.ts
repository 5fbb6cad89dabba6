export * from './projection';
export * from './unit-of-work';
export * from './projection-runner';
export * from './lease';
export * from './lease-holder';
export * from './background-problems';

export * from './decider';
export * from './deterministic-id';

export * from './decider';
export * from './deterministic-id';
export * from './hash-chain';
export * from './log-chain';
export * from './periodic-check';
export * from './sealed-values';
export * from './trail-facts';
export * from './keyed-turns';

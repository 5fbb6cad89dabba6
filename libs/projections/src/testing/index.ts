export * from './projection-specification';

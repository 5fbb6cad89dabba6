export * from './customer-file.taxonomy';
export * from './customer-file.sections';
export * from './customer-file.consumption';
export * from './customer-file.errors';
export * from './customer-file.validation';

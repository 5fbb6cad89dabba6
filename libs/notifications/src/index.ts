export * from './channels';
export * from './notification-message';
export * from './notification-plan';
export * from './notification-templates';
export * from './notifier';
export * from './recipients';
export * from './template-renderer';

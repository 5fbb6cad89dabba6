export * from './survey.repository';
export * from './survey-command.executor';
export * from './survey.handlers';
export * from './survey-campaign.handler';
export * from './bad-survey-complaints';
export * from './work-order-survey.query';

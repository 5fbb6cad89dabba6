export * from './tamper-evidence.contract';

export * from './client';
export * from './csv';
export * from './delighted-json';
export * from './rows';
export * from './run';

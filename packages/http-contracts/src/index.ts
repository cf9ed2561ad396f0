export * from './openapi';
export * from './route';

export * from './delighted';
export * from './openapi';
export * from './route';

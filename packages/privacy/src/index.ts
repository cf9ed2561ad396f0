export * from './erasure-report';
export * from './identifiers';
export * from './person-index';
export * from './retention';

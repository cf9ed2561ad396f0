export * from './invitation-tokens';
export * from './sealed-token';

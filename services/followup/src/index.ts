export * from './routes/cases';

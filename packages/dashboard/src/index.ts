/** The dashboard's pure parts (formatting, languages, data shaping, URL state), for tests and other tools. */
export * from './format';
export * from './i18n';
export * from './shape';
export * from './types';
export * from './view-state';

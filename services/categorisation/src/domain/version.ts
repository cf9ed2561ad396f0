/**
 * Version of the categoriser's code and lexicons, carried on every result. Bump it when a change can change a
 * label, so that stored results can be told apart and re-categorised.
 */
export const CATEGORISER_VERSION = '1.0.0';

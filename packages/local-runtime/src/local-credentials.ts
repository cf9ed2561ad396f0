/**
 * The fake credentials every local client uses: the functions' SDK clients and the runtime's own. DynamoDB Local
 * keeps one database per access key and region unless it runs with -sharedDb, so using the same ones everywhere
 * keeps every client on the same tables, whichever DynamoDB Local is used.
 */
export const localCredentials = {
  accessKeyId: 'LOCALRUNTIMEACCESSKEY',
  secretAccessKey: 'local-runtime-secret-access-key',
  sessionToken: 'local-runtime-session-token',
} as const;

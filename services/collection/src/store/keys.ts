/** Key builders for the collection table, shared by the repositories and the tests. */
export const collectionKeys = {
  survey: (surveyId: string) => ({ pk: `SURVEY#${surveyId}`, sk: 'SURVEY' }),
  surveyListing: { gsi1pk: 'SURVEYS' },
  response: (surveyId: string, responseId: string) => ({ pk: `RESPONSE#${surveyId}#${responseId}`, sk: 'RESPONSE' }),
  apiKey: (keyHash: string) => ({ pk: `APIKEY#${keyHash}`, sk: 'APIKEY' }),
};

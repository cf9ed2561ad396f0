/** Key builders for the collection table, shared by the repositories and the tests. */
export const collectionKeys = {
  survey: (surveyId: string) => ({ pk: `SURVEY#${surveyId}`, sk: 'SURVEY' }),
  /** The survey's sealed identity secret, apart from the survey so that reading a survey never reads it. */
  surveySecret: (surveyId: string) => ({ pk: `SURVEY#${surveyId}`, sk: 'SECRET' }),
  surveyListing: { gsi1pk: 'SURVEYS' },
  response: (surveyId: string, responseId: string) => ({ pk: `RESPONSE#${surveyId}#${responseId}`, sk: 'RESPONSE' }),
  /**
   * A response in its survey's listings (Delighted's `GET /survey_responses`): by creation time in gsi1, by the time
   * of its last change in gsi2; the response id after the time keeps equal times apart.
   */
  responseListing: (response: { surveyId: string; responseId: string; occurredAt: string; updatedAt: string }) => ({
    gsi1pk: `RESPONSES#${response.surveyId}`,
    gsi1sk: `${response.occurredAt}#${response.responseId}`,
    gsi2pk: `RESPONSES#${response.surveyId}`,
    gsi2sk: `${response.updatedAt}#${response.responseId}`,
  }),
  /** Throttle state of one respondent of one survey (`respondentKey`: `user:<hash>` or `anon:<hash>`). */
  respondent: (surveyId: string, respondentKey: string) => ({
    pk: `RESPONDENT#${surveyId}#${respondentKey}`,
    sk: 'RESPONDENT',
  }),
  apiKey: (keyHash: string) => ({ pk: `APIKEY#${keyHash}`, sk: 'APIKEY' }),
  /** gsi1sk is the key id (a ULID), so the listing is in creation order and a key is found by id. */
  apiKeyListing: { gsi1pk: 'APIKEYS' },
  integration: (integrationId: string) => ({ pk: `INTEGRATION#${integrationId}`, sk: 'INTEGRATION' }),
  integrationSecrets: (integrationId: string) => ({ pk: `INTEGRATION#${integrationId}`, sk: 'SECRETS' }),
  /** The poll cursor of a pull integration; listed in gsi1 so that the poller finds every pull integration. */
  integrationPoll: (integrationId: string) => ({ pk: `INTEGRATION#${integrationId}`, sk: 'POLL' }),
  integrationListing: { gsi1pk: 'INTEGRATIONS' },
  pollListing: { gsi1pk: 'POLLS' },
  /** One piece of provider feedback, by its identity in the source, within one integration. */
  externalFeedback: (integrationId: string, externalKey: string) => ({
    pk: `EXTERNAL#${integrationId}#${externalKey}`,
    sk: 'FEEDBACK',
  }),
  /** De-duplication marker of a webhook delivery (expires). */
  webhookDelivery: (integrationId: string, deliveryId: string) => ({
    pk: `DELIVERY#${integrationId}#${deliveryId}`,
    sk: 'DELIVERY',
  }),
  /** The retention policy in force, one versioned document (absent while the defaults apply). */
  retentionPolicy: { pk: 'CONFIG#retention', sk: 'POLICY' },
  /** A fixed-window rate counter (expires). */
  rateWindow: (limitName: string, subject: string, windowStart: number) => ({
    pk: `RATE#${limitName}#${subject}#${windowStart}`,
    sk: 'RATE',
  }),
};

/** The Query of one gsi1 listing (surveys, API keys, integrations), newest first. */
export const listingQuery = (tableName: string, listing: { gsi1pk: string }, limit: number) => ({
  TableName: tableName,
  IndexName: 'gsi1',
  KeyConditionExpression: 'gsi1pk = :listing',
  ExpressionAttributeValues: { ':listing': listing.gsi1pk },
  ScanIndexForward: false,
  Limit: limit,
});

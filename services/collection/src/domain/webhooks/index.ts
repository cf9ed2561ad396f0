export {
  type FetchRequiredResource,
  type NormalisedFeedback,
  normalisedFeedbackSchema,
  type WebhookNormalisation,
  WebhookPayloadError,
} from './feedback';
export {
  defaultFieldMappings,
  type FieldMapping,
  fieldMappingSchema,
  type ScoreScale,
  scoreScaleSchema,
} from './field-mapping';
export { normaliseWebhook, type WebhookDelivery } from './normalise';
export { normaliseAppStoreCustomerReview, normaliseAppStoreCustomerReviewsPage } from './normalisers/app-store';
export { normaliseGoogleBusinessProfileReview } from './normalisers/google-business-profile';
export { normaliseGooglePlayReview, normaliseGooglePlayReviewsPage } from './normalisers/google-play';
export { providerSchema, type WebhookProvider, webhookProviders } from './providers';
export { type VerificationResult, verifyWebhook, type WebhookRequest, zendeskTimestampTolerance } from './verify';

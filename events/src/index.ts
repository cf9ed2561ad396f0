import { MetricAlertRaised } from './aggregation';
import { FeedbackCategorised } from './categorisation';
import { FeedbackReceived } from './collection';
import type { EventContract } from './contract';
import { CaseEscalated, CaseOpened, CaseResolved, FollowUpRequested, MessageSent } from './follow-up';
import { PersonErased, PersonErasureRequested, RetentionPolicyChanged } from './privacy';

export * from './aggregation';
export * from './catalog';
export * from './categorisation';
export * from './collection';
export * from './contract';
export * from './feedback';
export * from './follow-up';
export * from './privacy';

/** Every published event contract. The catalog, JSON Schemas and CDK rules are generated from this list. */
export const allEvents: readonly EventContract[] = [
  FeedbackReceived,
  FeedbackCategorised,
  CaseOpened,
  CaseEscalated,
  CaseResolved,
  FollowUpRequested,
  MessageSent,
  MetricAlertRaised,
  PersonErasureRequested,
  ...Object.values(PersonErased),
  RetentionPolicyChanged,
];

import type { PersonIdentifier } from '@cxloop/events';

/**
 * The kinds of collection items that hold personal data, as named in the person index and in `PersonErased.items`:
 * widget and hosted-page responses, respondents' throttle state, and provider feedback (webhooks and polls).
 */
export const personalItemKinds = {
  responses: 'responses',
  respondents: 'respondents',
  externalFeedback: 'externalFeedback',
} as const;
export type PersonalItemKind = keyof typeof personalItemKinds;

/** Whose data an item holds and when it ends: the identifiers (proven or claimed) that point at it, and its TTL. */
export interface PersonalData {
  identifiers: readonly PersonIdentifier[];
  /** The item's TTL, which its pointers share. */
  expiresAt: number;
}

/** What an erased response or piece of provider feedback says about who gave it: nothing. */
export const erasedRespondent = { verified: false, emailVerified: false } as const;

/**
 * A post to a response that was erased: its id is kept (so that a retried post cannot count the score again under a
 * new id), and it takes no more content, so a retry of the erased text cannot bring it back.
 */
export class ResponseErasedError extends Error {
  constructor(readonly responseId: string) {
    super(`Response ${responseId} was erased; post a new response (a new responseId)`);
    this.name = 'ResponseErasedError';
  }
}

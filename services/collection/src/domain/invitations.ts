import { createHash } from 'node:crypto';

/**
 * Invitation links to hosted survey pages (`/s/{surveyId}?t=<token>`). The token format is shared with the follow-up
 * service, which makes its links with the deployment's invitation key: it lives in `@cxloop/link-tokens`.
 */
export {
  InvalidInvitationError,
  type InvalidInvitationReason,
  type Invitation,
  openInvitation,
  signInvitation,
} from '@cxloop/link-tokens';

/** One response per invitation: answering the same link again revises that response instead of adding another. */
export function invitationResponseId(token: string): string {
  return `i-${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
}

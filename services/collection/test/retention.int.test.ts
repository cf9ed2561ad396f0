import { FeedbackReceived, RetentionPolicyChanged } from '@cxloop/events';
import { defaultRetentionPolicy } from '@cxloop/privacy';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSurveySchema } from '../src/domain/surveys';
import { retentionPolicyView, setRetentionPolicy } from '../src/use-cases/manage-retention';
import { createSurvey, openIdentitySecret } from '../src/use-cases/manage-surveys';
import { submitResponse } from '../src/use-cases/submit-response';
import { answered } from './support/answers';
import { type CollectionTestbed, collectionTestbed } from './support/testbed';

const causation = { correlationId: 'test-correlation', causationId: 'request-1' };
const now = new Date('2026-12-07T10:00:00Z');
const later = new Date('2026-12-08T10:00:00Z');
const policy = { feedbackTextDays: 365, contactDetailsDays: 90, messagesDays: 180, casesDays: 730 };

describe('the retention policy against DynamoDB Local', () => {
  let bed: CollectionTestbed;
  const deps = () => ({ retention: bed.retention, publish: bed.publish });
  const current = async () => retentionPolicyView(await bed.retention.get());
  const changes = () =>
    bed.published
      .filter((event) => event.contract === RetentionPolicyChanged)
      .map((event) => RetentionPolicyChanged.dataSchema.parse(event.data));

  beforeEach(async () => {
    bed = await collectionTestbed();
  });

  it('answers the defaults at version 0 with notes until a policy is stored', async () => {
    const view = await current();
    expect(view).toMatchObject({ policy: defaultRetentionPolicy, version: 0 });
    expect(view).not.toHaveProperty('updatedAt');
    expect(Object.keys(view.notes)).toEqual(expect.arrayContaining([...Object.keys(policy), 'scores']));
  });

  it('stores a new policy as the next version, answers it, and publishes RetentionPolicyChanged', async () => {
    const stored = await setRetentionPolicy(deps(), { ...policy, expectedVersion: 0 }, 'key_admin', causation, now);
    expect(stored).toMatchObject({ policy, version: 1, updatedAt: now.toISOString(), updatedBy: 'key_admin' });
    expect(await current()).toEqual(stored);
    expect(changes()).toEqual([{ policy, version: 1, changedAt: now.toISOString() }]);
    expect(bed.published[0]?.causation).toEqual(causation);
  });

  it('refuses a lost update with 409 and the current version', async () => {
    await setRetentionPolicy(deps(), policy, 'key_admin', causation, now);
    await expect(
      answered(
        setRetentionPolicy(deps(), { ...policy, casesDays: 100, expectedVersion: 0 }, 'key_other', causation, later),
      ),
    ).rejects.toMatchObject({ statusCode: 409, details: { currentVersion: 1 } });
    expect((await current()).policy).toEqual(policy);
    expect(changes()).toHaveLength(1);
  });

  it('takes the policy in force again as no change, and publishes it again (a retried PUT repairs a lost publish)', async () => {
    await setRetentionPolicy(deps(), { ...policy, expectedVersion: 0 }, 'key_admin', causation, now);
    const retried = await setRetentionPolicy(deps(), { ...policy, expectedVersion: 0 }, 'key_admin', causation, later);
    expect(retried).toMatchObject({ version: 1, updatedAt: now.toISOString() });
    expect(changes()).toEqual([
      { policy, version: 1, changedAt: now.toISOString() },
      { policy, version: 1, changedAt: now.toISOString() },
    ]);
    const next = await setRetentionPolicy(deps(), { ...policy, messagesDays: 90 }, 'key_admin', causation, later);
    expect(next.version).toBe(2);
  });

  it('stamps feedback received after a change with the new end of life', async () => {
    await setRetentionPolicy(deps(), policy, 'key_admin', causation, now);
    const { survey } = await createSurvey(bed, createSurveySchema.parse({ name: 'NPS' }), now);
    await submitResponse(
      { ...bed, identitySecret: (surveyId) => openIdentitySecret(bed, surveyId) },
      {
        surveyId: survey.id,
        input: { responseId: 'resp-retained', score: 9, comment: 'Fine', respondent: { email: 'cat@example.com' } },
        clientIp: '203.0.113.7',
        causation,
        now: later,
      },
    );
    const [feedback] = bed.published
      .filter((event) => event.contract === FeedbackReceived)
      .map((event) => FeedbackReceived.dataSchema.parse(event.data));
    expect(feedback?.retainUntil).toEqual({ text: '2027-12-08T10:00:00.000Z', contact: '2027-03-08T10:00:00.000Z' });
    const [response] = await bed.itemsWithPrefix(`RESPONSE#${survey.id}#`);
    expect(response?.expiresAt).toBe(Date.parse('2027-03-08T10:00:00Z') / 1000);
  });
});

import type { Causation } from '@cxloop/events';
import { InvalidInputError } from '@cxloop/lambda-kit';
import { type CorrectionBody, correctionSchema } from '../domain/corrections';
import { UnknownResourceError } from '../domain/errors';
import type { StoredCorrection } from '../store/corrections';
import { type CategoriseFeedbackDeps, recategoriseStored } from './categorise-feedback';
import type { EnqueueJob } from './jobs';

export interface CorrectCategorisationDeps extends CategoriseFeedbackDeps {
  enqueue: EnqueueJob;
}

/** Topics a correction adds must exist in the active taxonomy, or the label could never be counted or queried. */
function checkTopics(body: CorrectionBody, topicIds: readonly string[]): void {
  const issues = (body.topics?.add ?? []).flatMap((id, index) =>
    topicIds.includes(id) ? [] : [{ field: `body.topics.add.${index}`, message: `unknown topic "${id}"` }],
  );
  if (issues.length > 0) throw new InvalidInputError(issues);
}

/**
 * Stores a person's correction of a feedback's labels (replacing an earlier one), re-categorises that feedback with
 * it as an override and publishes the result (`corrected: true`), then asks the worker to retrain the model.
 */
export async function correctCategorisation(
  deps: CorrectCategorisationDeps,
  request: { feedbackId: string; body: CorrectionBody; principal: string; now: Date; causation: Causation },
) {
  const { feedbackId, body } = request;
  const [stored, categoriser] = await Promise.all([deps.results.get(feedbackId), deps.categoriser()]);
  if (!stored) throw new UnknownResourceError(`No categorisation of feedback ${feedbackId}`);
  checkTopics(body, categoriser.taxonomy.topicIds);

  const correction = correctionSchema.parse({
    ...body,
    feedbackId,
    correctedBy: body.correctedBy ?? request.principal,
    correctedAt: body.correctedAt ?? request.now.toISOString(),
  });
  const { feedback } = stored;
  const example: StoredCorrection = {
    correction,
    revision: stored.revision,
    ...(feedback.text === undefined ? {} : { text: feedback.text }),
    ...(feedback.languageHint === undefined ? {} : { languageHint: feedback.languageHint }),
  };
  await deps.corrections.put(example, feedback);
  const result = await recategoriseStored(deps, feedbackId, request.causation);
  await deps.enqueue({ kind: 'train' });
  return { feedbackId, revision: stored.revision, correction, categorisation: result?.categorisation };
}

import type { CategorisationFilter, ResultStore, StoredCategorisation } from '../store/results';

export function categorisationView({ feedback, categorisation }: StoredCategorisation) {
  return {
    feedbackId: feedback.feedbackId,
    revision: feedback.revision,
    ...(feedback.surveyId ? { surveyId: feedback.surveyId } : {}),
    kind: feedback.kind,
    ...(feedback.score ? { score: feedback.score.value } : {}),
    ...(feedback.text === undefined ? {} : { text: feedback.text }),
    occurredAt: feedback.occurredAt,
    categorisation,
  };
}

/** Stored categorisations by topic, sentiment, intent and time of the feedback, newest first. */
export async function listCategorisations(
  results: ResultStore,
  filter: CategorisationFilter,
  limit: number,
  cursor?: Record<string, unknown>,
) {
  const page = await results.list(filter, limit, cursor);
  return { items: page.results.map(categorisationView), next: page.next };
}

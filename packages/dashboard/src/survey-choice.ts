/** localStorage key of the survey the dashboard showed last. */
export const LAST_SURVEY_KEY = 'cxloop.dashboard.survey';

/** How many listed surveys are asked for their newest answer when the dashboard has no survey to open. */
export const NEWEST_ANSWER_PROBES = 20;

/**
 * The survey the dashboard opens when the URL names none: the one shown last, if it is still listed; else the one
 * whose newest answer is the most recent (`newestAnswerAt`: survey id → ISO time); else the first listed.
 */
export function initialSurvey(
  surveys: readonly { id: string }[],
  remembered: string | null,
  newestAnswerAt: ReadonlyMap<string, string>,
): string | undefined {
  if (remembered && surveys.some((survey) => survey.id === remembered)) return remembered;
  let newest: { id: string; at: string } | undefined;
  for (const [id, at] of newestAnswerAt) {
    if (!newest || at > newest.at) newest = { id, at };
  }
  return newest?.id ?? surveys[0]?.id;
}

import type { SurveyConfig } from '../domain/survey-config';
import { type SurveyMeta, type SurveyStore, timeZoneOf } from '../store';

/** A survey's aggregation settings as the admin API shows them. */
export function surveySettings(meta: SurveyMeta) {
  return {
    surveyId: meta.surveyId,
    config: meta.config,
    configVersion: meta.configVersion,
    timeZone: timeZoneOf(meta),
    scales: meta.scales,
    activeGeneration: meta.activeGeneration,
    buildingGeneration: meta.buildingGeneration ?? null,
    /** Segment keys, combinations or the time zone changed since the served figures were counted: rebuild to apply. */
    rebuildRecommended: meta.activeConfigVersion < meta.configVersion,
  };
}

/**
 * Sets a survey's configuration. New responses are counted under it at once; responses counted before keep their
 * cells until a rebuild recounts them (the answer says when one is due).
 */
export async function configureSurvey(surveys: SurveyStore, surveyId: string, config: SurveyConfig) {
  const before = await surveys.get(surveyId, { consistent: true });
  const countedBy = (settings: SurveyConfig) =>
    JSON.stringify([settings.timeZone ?? null, settings.segmentKeys, settings.combinations]);
  await surveys.putConfig(surveyId, config, {
    recount: countedBy(before.config) !== countedBy(config),
    applyNow: before.scales.length === 0 && before.buildingGeneration === undefined,
  });
  return surveySettings(await surveys.get(surveyId, { consistent: true }));
}

import { type FollowUpQuestion, type Survey, type SurveyType, surveyScales } from './surveys';

/**
 * What a browser may know about a survey to show it: its texts, scale and follow-up questions. No name, origins,
 * throttle or timestamps: those are the admin's.
 */
export interface PublicSurvey {
  id: string;
  type: SurveyType;
  scale: { min: number; max: number };
  question: Record<string, string>;
  thankYou: Record<string, string>;
  followUpQuestions: FollowUpQuestion[];
  active: boolean;
}

export function publicSurvey(survey: Survey): PublicSurvey {
  return {
    id: survey.id,
    type: survey.type,
    scale: surveyScales[survey.type],
    question: survey.question,
    thankYou: survey.thankYou,
    followUpQuestions: survey.followUpQuestions,
    active: survey.status === 'active',
  };
}

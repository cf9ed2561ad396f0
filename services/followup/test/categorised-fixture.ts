import { type Categorisation, type Feedback, FeedbackCategorised } from '@cxloop/events';
import type { CategorisedFeedback } from '../src/domain/rules';

/** The FeedbackCategorised example as consumers receive it (defaults applied). */
export const example = FeedbackCategorised.dataSchema.parse(FeedbackCategorised.example);

/** The example feedback and categorisation with some fields replaced. */
export function categorised(
  feedback: Partial<Feedback> = {},
  categorisation: Partial<Categorisation> = {},
): CategorisedFeedback {
  return {
    feedback: { ...example.feedback, ...feedback },
    categorisation: { ...example.categorisation, ...categorisation },
  };
}

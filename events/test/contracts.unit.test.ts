import {
  allEvents,
  CaseOpened,
  contractId,
  EventSources,
  FeedbackReceived,
  isServiceName,
  publisherOf,
  serviceNames,
} from '@cxloop/events';
import { describe, expect, it } from 'vitest';

/** Past participles that do not end in -ed, for detail-types such as `MessageSent`. */
const irregularPastParticiples = ['Built', 'Held', 'Lost', 'Made', 'Paid', 'Read', 'Sent', 'Set', 'Won', 'Written'];
const pascalCaseWords = /^(?:[A-Z][a-z0-9]+){2,}$/;

const isPastTenseFact = (detailType: string): boolean =>
  pascalCaseWords.test(detailType) &&
  (detailType.endsWith('ed') || irregularPastParticiples.some((word) => detailType.endsWith(word)));

it('identifies every contract uniquely by source, detail-type and version', () => {
  const ids = allEvents.map(contractId);
  expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
});

describe.each(allEvents.map((contract) => [contractId(contract), contract] as const))('%s', (_, contract) => {
  it('names a past-tense business fact in PascalCase (e.g. FeedbackReceived, MessageSent)', () => {
    expect(isPastTenseFact(contract.detailType), contract.detailType).toBe(true);
  });

  it('is published from one of the EventSources', () => {
    expect(Object.values(EventSources)).toContain(contract.source);
  });

  it('has a positive integer version', () => {
    expect(Number.isInteger(contract.version) && contract.version > 0, String(contract.version)).toBe(true);
  });

  it('is consumed only by known services, each named once', () => {
    expect(contract.consumers.filter((name) => !isServiceName(name))).toEqual([]);
    expect(new Set(contract.consumers).size).toBe(contract.consumers.length);
  });
});

describe('the past-tense rule', () => {
  it.each(['FeedbackReceived', 'CaseOpened', 'MessageSent', 'MetricAlertRaised'])('accepts %s', (detailType) => {
    expect(isPastTenseFact(detailType)).toBe(true);
  });

  it.each(['ReceiveFeedback', 'feedbackReceived', 'Received', 'CaseOpen', 'Feedback_Received'])(
    'rejects %s',
    (detailType) => {
      expect(isPastTenseFact(detailType)).toBe(false);
    },
  );
});

describe('services', () => {
  it('are named after the event sources', () => {
    expect(serviceNames).toEqual(['collection', 'categorisation', 'aggregation', 'followup']);
    expect(isServiceName('follow-up')).toBe(false);
  });

  it('publish the events of their own source', () => {
    expect(publisherOf(FeedbackReceived)).toBe('collection');
    expect(publisherOf(CaseOpened)).toBe('followup');
  });
});

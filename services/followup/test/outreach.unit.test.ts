import { describe, expect, it } from 'vitest';
import { defaultFollowUpConfig } from '../src/domain/config';
import {
  OUTREACH_REASON,
  openOutreachCase,
  outreachCandidateOf,
  outreachCaseIdOf,
  outreachProgress,
  outreachShortlist,
  segmentOwnerOf,
} from '../src/domain/outreach';
import { categorised } from './categorised-fixture';

const proven = { id: 'customer-1', verified: true, emailVerified: false };
const nps = (value: number) => ({ kind: 'nps' as const, score: { value, min: 0, max: 10, normalised: value / 10 } });

function candidate(personId: string, value: number, occurredAt: string, attributes: Record<string, string> = {}) {
  const found = outreachCandidateOf(
    categorised({
      feedbackId: `fb_${personId}_${occurredAt}`,
      ...nps(value),
      respondent: { id: personId, verified: true, emailVerified: false },
      attributes: { plan: 'smb', ...attributes },
      occurredAt,
    }),
  );
  if (!found) throw new Error('expected a candidate');
  return found;
}

describe('outreachCandidateOf', () => {
  it('keeps a detractor or passive with proven contact, with every segment the answer is in', () => {
    const found = outreachCandidateOf(
      categorised({ ...nps(7), respondent: { ...proven, locale: 'ru-RU' }, attributes: { plan: ' smb ', seats: 12 } }),
    );
    expect(found).toMatchObject({
      personKey: 'id:customer-1',
      contact: { id: 'customer-1', locale: 'ru-RU' },
      category: 'passive',
      score: 7,
    });
    expect(found?.segments).toEqual(
      expect.arrayContaining([
        'plan=smb',
        'seats=12',
        'topic=delivery',
        'intent=complaint',
        'channel=web',
        'language=ru',
      ]),
    );
  });

  it.each([
    ['a promoter', { ...nps(9), respondent: proven }],
    [
      'an unproven id (a claim)',
      { ...nps(3), respondent: { id: 'customer-1', verified: false, emailVerified: false } },
    ],
    [
      'an unproven address (a claim)',
      { ...nps(3), respondent: { email: 'a@example.com', verified: false, emailVerified: false } },
    ],
    ['an imported answer', { ...nps(3), respondent: proven, historical: true }],
    ['an answer without a score', { kind: 'text' as const, score: undefined, respondent: proven }],
  ])('leaves out %s', (_name, feedback) => {
    expect(outreachCandidateOf(categorised(feedback))).toBeUndefined();
  });

  it('takes CSAT answers that are not satisfied', () => {
    const csat = (value: number) => ({
      kind: 'csat' as const,
      score: { value, min: 1, max: 5, normalised: (value - 1) / 4 },
    });
    expect(outreachCandidateOf(categorised({ ...csat(3), respondent: proven }))?.category).toBe('neutral');
    expect(outreachCandidateOf(categorised({ ...csat(5), respondent: proven }))).toBeUndefined();
  });
});

describe('outreachShortlist', () => {
  it("lists the segment's people newest answer first, each once with their newest answer", () => {
    const shortlist = outreachShortlist(
      [
        candidate('anna', 3, '2026-11-18T10:00:00Z'),
        candidate('boris', 7, '2026-11-20T10:00:00Z'),
        candidate('anna', 5, '2026-11-19T10:00:00Z'),
        candidate('vera', 2, '2026-11-20T11:00:00Z', { plan: 'enterprise' }),
      ],
      { dimension: 'plan', value: 'smb' },
    );
    expect(shortlist.map((c) => [c.personKey, c.score])).toEqual([
      ['id:boris', 7],
      ['id:anna', 5],
    ]);
  });

  it('matches a segment value as aggregation spells it', () => {
    const spelled = candidate('anna', 3, '2026-11-18T10:00:00Z', { plan: '  small\nbusiness ' });
    expect(outreachShortlist([spelled], { dimension: 'plan', value: 'small business' })).toHaveLength(1);
  });
});

describe('outreach cases', () => {
  const alert = { alertId: 'alert_1', segment: { dimension: 'plan', value: 'smb' } };

  it('has one id per alert and person, naming neither', () => {
    const id = outreachCaseIdOf('alert_1', 'email:anna@example.com');
    expect(id).toBe(outreachCaseIdOf('alert_1', 'email:anna@example.com'));
    expect(id).not.toBe(outreachCaseIdOf('alert_2', 'email:anna@example.com'));
    expect(id).not.toBe(outreachCaseIdOf('alert_1', 'email:boris@example.com'));
    expect(id).not.toMatch(/anna|alert/);
    expect(id).toMatch(/^case_outreach_[0-9a-f]{32}$/);
  });

  it('is a segment_outreach case for the owner with the SLA, the proven contact and the segment only', () => {
    const now = new Date('2026-11-20T12:00:00Z');
    const opened = openOutreachCase(alert, candidate('anna', 3, '2026-11-18T10:00:00Z'), 'smb-team', 48, now);
    expect(opened).toMatchObject({
      caseId: outreachCaseIdOf('alert_1', 'id:anna'),
      reason: OUTREACH_REASON,
      outreachId: 'alert_1',
      owner: 'smb-team',
      status: 'open',
      respondent: { id: 'anna' },
      customer: { plan: 'smb' },
      score: 3,
      dueAt: '2026-11-22T12:00:00.000Z',
    });
    expect(opened.text).toBeUndefined();
  });

  it("goes to the segment's owner, else the fallback owner", () => {
    const routing = { ...defaultFollowUpConfig.routing, segmentOwners: { plan: { smb: 'smb-team' } } };
    expect(segmentOwnerOf(routing, { dimension: 'plan', value: 'smb' })).toBe('smb-team');
    expect(segmentOwnerOf(routing, { dimension: 'plan', value: 'pro' })).toBe('cx-team');
  });

  it('counts contacted and resolved calls', () => {
    expect(
      outreachProgress([
        { status: 'open' },
        { status: 'contacted', firstContactAt: 'x' },
        { status: 'resolved', firstContactAt: 'x', resolvedAt: 'y' },
        { status: 'closed' },
      ]),
    ).toEqual({ people: 4, contacted: 2, resolved: 1 });
  });

  it('lists ten people by default', () => {
    expect(defaultFollowUpConfig.outreach.people).toBe(10);
  });
});

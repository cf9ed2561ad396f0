import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedTransitions,
  applyCaseCommand,
  applyEscalation,
  type CaseCommand,
  caseForNewNegativeFeedback,
  defaultReopenPolicy,
  type EscalationPolicy,
  escalationFor,
  escalationLevelTaken,
  InvalidCaseTransitionError,
  isNegativeFeedback,
  isOverdue,
  type ManagedCase,
  nextSlaTimer,
  openCase,
} from '../src/domain/case-lifecycle';
import type { CaseStatus } from '../src/domain/cases';
import { categorised, example } from './categorised-fixture';

const nps = (value: number) => ({ kind: 'nps', score: { value, min: 0, max: 10, normalised: value / 10 } }) as const;

const openedAt = new Date('2026-11-20T09:00:00Z');
const hoursAfter = (hours: number, from = openedAt) => new Date(from.getTime() + hours * 3_600_000);
const openCaseAction = {
  type: 'open_case',
  reason: 'detractor',
  routing: { to: 'account_owner' },
  priority: 'high',
  slaHours: 24,
  ruleId: 'detractor',
} as const;

function freshCase(): ManagedCase {
  return openCase(
    categorised({ ...nps(3), respondent: { id: 'u-1', verified: true, emailVerified: false } }),
    openCaseAction,
    'anna',
    openedAt,
  );
}

function run(commands: CaseCommand[], start = freshCase()): ManagedCase {
  return commands.reduce((current, command, index) => applyCaseCommand(current, command, hoursAfter(index + 1)), start);
}

describe('openCase', () => {
  it('opens a case for the feedback with the owner, the person and a first-contact deadline after the SLA', () => {
    expect(freshCase()).toMatchObject({
      caseId: `case_${example.feedback.feedbackId}`,
      feedbackId: example.feedback.feedbackId,
      personKey: 'id:u-1',
      status: 'open',
      reason: 'detractor',
      priority: 'high',
      owner: 'anna',
      score: 3,
      slaHours: 24,
      openedAt: '2026-11-20T09:00:00.000Z',
      dueAt: '2026-11-21T09:00:00.000Z',
      notes: [],
      escalations: [],
    });
  });

  it('honours a configured SLA', () => {
    const action = { ...openCaseAction, slaHours: 4 };
    expect(openCase(categorised(nps(3)), action, undefined, openedAt).dueAt).toBe('2026-11-20T13:00:00.000Z');
  });

  it('falls back to a 24 h SLA when the action leaves it open', () => {
    const { slaHours: _sla, ...action } = openCaseAction;
    expect(openCase(categorised(nps(3)), action, undefined, openedAt)).toMatchObject({
      slaHours: 24,
      dueAt: '2026-11-21T09:00:00.000Z',
    });
  });

  it('keeps how to reach the customer and their attributes, for the owner and the re-survey', () => {
    const opened = openCase(
      categorised({
        ...nps(2),
        respondent: {
          id: 'u-7',
          email: 'anna@example.com',
          locale: 'ru-RU',
          anonymousId: 'anon_x',
          verified: true,
          emailVerified: true,
        },
        attributes: { plan: 'pro', phone: '+79990000000' },
      }),
      openCaseAction,
      'anna',
      openedAt,
    );
    expect(opened).toMatchObject({
      respondent: { id: 'u-7', email: 'anna@example.com', locale: 'ru-RU' },
      customer: { plan: 'pro', phone: '+79990000000' },
      ruleId: 'detractor',
    });
    expect(opened.respondent).not.toHaveProperty('anonymousId');
    const anonymous = openCase(
      categorised({ ...nps(2), respondent: { verified: false, emailVerified: false }, attributes: {} }),
      openCaseAction,
      'anna',
      openedAt,
    );
    expect(anonymous.respondent).toBeUndefined();
    expect(anonymous.customer).toBeUndefined();
  });

  it('keeps what a respondent claimed without proof apart from how to reach them, and joins no one with it', () => {
    const claimed = openCase(
      categorised({
        ...nps(2),
        respondent: { id: 'someone-else', email: 'victim@example.org', verified: false, emailVerified: false },
        attributes: {},
      }),
      openCaseAction,
      'anna',
      openedAt,
    );
    expect(claimed.respondent).toEqual({ claimedId: 'someone-else', claimedEmail: 'victim@example.org' });
    expect(claimed.personKey).toBeUndefined();
  });
});

describe('applyCaseCommand', () => {
  it('walks open → acknowledged → contacted → resolved → closed, stamping each step', () => {
    const closed = run([{ type: 'acknowledge' }, { type: 'record_contact' }, { type: 'resolve' }, { type: 'close' }]);
    expect(closed).toMatchObject({
      status: 'closed',
      acknowledgedAt: '2026-11-20T10:00:00.000Z',
      firstContactAt: '2026-11-20T11:00:00.000Z',
      resolvedAt: '2026-11-20T12:00:00.000Z',
      closedAt: '2026-11-20T13:00:00.000Z',
    });
  });

  it('keeps the first contact and moves the last one on repeated contact; contact implies acknowledgement', () => {
    const twice = run([{ type: 'record_contact' }, { type: 'record_contact' }]);
    expect(twice).toMatchObject({
      status: 'contacted',
      acknowledgedAt: '2026-11-20T10:00:00.000Z',
      firstContactAt: '2026-11-20T10:00:00.000Z',
      lastContactAt: '2026-11-20T11:00:00.000Z',
    });
  });

  it('refuses to resolve a case nobody contacted, and any move out of closed', () => {
    expect(() => run([{ type: 'resolve' }])).toThrow(InvalidCaseTransitionError);
    expect(() => run([{ type: 'close' }, { type: 'acknowledge' }])).toThrow(
      'A case cannot go from closed to acknowledged',
    );
  });

  it('never moves a case backwards', () => {
    const order: CaseStatus[] = ['open', 'acknowledged', 'contacted', 'resolved', 'closed'];
    for (const [from, targets] of Object.entries(allowedTransitions) as [CaseStatus, CaseStatus[]][]) {
      for (const to of targets) expect(order.indexOf(to)).toBeGreaterThanOrEqual(order.indexOf(from));
    }
  });

  it('assigns and records notes without changing the status', () => {
    const updated = run([
      { type: 'assign', owner: 'boris' },
      { type: 'add_note', author: 'boris', text: 'Called, no answer' },
    ]);
    expect(updated).toMatchObject({
      status: 'open',
      owner: 'boris',
      notes: [{ at: '2026-11-20T11:00:00.000Z', author: 'boris', text: 'Called, no answer' }],
    });
  });

  it('does not change the case it was given', () => {
    const original = freshCase();
    const snapshot = structuredClone(original);
    run([{ type: 'record_contact' }, { type: 'add_note', author: 'a', text: 'n' }], original);
    expect(original).toEqual(snapshot);
  });
});

describe('isOverdue', () => {
  it('is overdue only after the deadline and only while waiting for contact', () => {
    const open = freshCase();
    expect(isOverdue(open, hoursAfter(24))).toBe(false);
    expect(isOverdue(open, hoursAfter(24.01))).toBe(true);
    expect(isOverdue(run([{ type: 'acknowledge' }]), hoursAfter(30))).toBe(true);
    expect(isOverdue(run([{ type: 'record_contact' }]), hoursAfter(30))).toBe(false);
    expect(isOverdue(run([{ type: 'close' }]), hoursAfter(30))).toBe(false);
  });
});

describe('escalationFor', () => {
  const policy: EscalationPolicy = {
    steps: [
      { afterHoursOverdue: 0, to: { owner: 'team-lead' } },
      { afterHoursOverdue: 12, to: { channel: 'slack', target: 'cx-escalations' } },
    ],
  };

  it('escalates nothing before the deadline or once the customer was contacted', () => {
    expect(escalationFor(freshCase(), policy, hoursAfter(23))).toBeUndefined();
    expect(escalationFor(run([{ type: 'record_contact' }]), policy, hoursAfter(40))).toBeUndefined();
  });

  it('takes each step once, in order, as the breach ages', () => {
    const first = escalationFor(freshCase(), policy, hoursAfter(25));
    expect(first).toEqual({ level: 1, at: hoursAfter(25).toISOString(), to: { owner: 'team-lead' } });
    const escalated = applyEscalation(freshCase(), first!);
    expect(escalated.owner).toBe('team-lead');
    expect(escalationFor(escalated, policy, hoursAfter(30))).toBeUndefined();
    const second = escalationFor(escalated, policy, hoursAfter(36));
    expect(second).toMatchObject({ level: 2, to: { channel: 'slack', target: 'cx-escalations' } });
    const twice = applyEscalation(escalated, second!);
    expect(twice.owner).toBe('team-lead');
    expect(escalationFor(twice, policy, hoursAfter(100))).toBeUndefined();
  });

  it('jumps to the latest due step when it runs late', () => {
    expect(escalationFor(freshCase(), policy, hoursAfter(50))?.level).toBe(2);
  });
});

describe('nextSlaTimer', () => {
  const policy: EscalationPolicy = {
    steps: [
      { afterHoursOverdue: 0, to: { channel: 'slack' } },
      { afterHoursOverdue: 4, to: { owner: 'team-lead' } },
    ],
  };

  it('arms the first step at the deadline, then each next step after the one taken', () => {
    const open = freshCase();
    expect(nextSlaTimer(open, policy)).toEqual({
      level: 1,
      fireAt: '2026-11-21T09:00:00.000Z',
      dueAt: '2026-11-21T09:00:00.000Z',
    });
    const escalated = applyEscalation(open, escalationFor(open, policy, hoursAfter(25))!);
    expect(escalationLevelTaken(escalated)).toBe(1);
    expect(nextSlaTimer(escalated, policy)).toMatchObject({ level: 2, fireAt: '2026-11-21T13:00:00.000Z' });
    const last = applyEscalation(escalated, escalationFor(escalated, policy, hoursAfter(29))!);
    expect(nextSlaTimer(last, policy)).toBeUndefined();
  });

  it('arms nothing once the customer was contacted or when the policy has no steps', () => {
    expect(nextSlaTimer(run([{ type: 'record_contact' }]), policy)).toBeUndefined();
    expect(nextSlaTimer(freshCase(), { steps: [] })).toBeUndefined();
  });

  it('starts again from the first step after a reopen', () => {
    const escalated = applyEscalation(run([{ type: 'record_contact' }, { type: 'resolve' }]), {
      level: 1,
      at: hoursAfter(5).toISOString(),
      to: { channel: 'slack' },
    });
    const reopenedAt = hoursAfter(48);
    const reopened = caseForNewNegativeFeedback(
      escalated,
      categorised({ feedbackId: 'fb_9', ...nps(1) }),
      defaultReopenPolicy,
      reopenedAt,
    );
    if (reopened.outcome !== 'reopen') throw new Error('expected a reopen');
    expect(escalationLevelTaken(reopened.case)).toBe(0);
    expect(nextSlaTimer(reopened.case, policy)).toMatchObject({
      level: 1,
      dueAt: hoursAfter(24, reopenedAt).toISOString(),
    });
  });
});

describe('caseForNewNegativeFeedback', () => {
  const later = (feedbackId: string, value: number) => categorised({ feedbackId, ...nps(value) });
  const resolved = () => run([{ type: 'record_contact' }, { type: 'resolve' }]);

  it('reopens a resolved case on new negative feedback within the window, with a fresh SLA', () => {
    const now = hoursAfter(24 * 10);
    const result = caseForNewNegativeFeedback(resolved(), later('fb_2', 2), defaultReopenPolicy, now);
    expect(result.outcome).toBe('reopen');
    if (result.outcome !== 'reopen') return;
    expect(result.case).toMatchObject({
      status: 'open',
      reopenCount: 1,
      reopenedAt: now.toISOString(),
      dueAt: hoursAfter(24, now).toISOString(),
      firstContactAt: '2026-11-20T10:00:00.000Z',
      relatedFeedbackIds: ['fb_2'],
    });
    expect(result.case.resolvedAt).toBeUndefined();
    expect(isOverdue(result.case, hoursAfter(25, now))).toBe(true);
  });

  it('escalates a reopened case again from its first step', () => {
    const policy: EscalationPolicy = { steps: [{ afterHoursOverdue: 0, to: { channel: 'slack' } }] };
    const first = resolved();
    const escalatedBefore = applyEscalation(first, {
      level: 1,
      at: hoursAfter(5).toISOString(),
      to: { channel: 'slack' },
    });
    const reopenedAt = hoursAfter(48);
    const result = caseForNewNegativeFeedback(escalatedBefore, later('fb_2', 1), defaultReopenPolicy, reopenedAt);
    if (result.outcome !== 'reopen') throw new Error('expected a reopen');
    expect(escalationFor(result.case, policy, hoursAfter(25, reopenedAt))?.level).toBe(1);
  });

  it('attaches negative feedback to a case still being worked on', () => {
    const result = caseForNewNegativeFeedback(freshCase(), later('fb_2', 0), defaultReopenPolicy, hoursAfter(2));
    expect(result).toMatchObject({ outcome: 'attach', case: { status: 'open', relatedFeedbackIds: ['fb_2'] } });
  });

  it('leaves the case alone for positive feedback, outside the window, or for feedback it already has', () => {
    const done = resolved();
    const policy = { reopenWithinDays: 7 };
    expect(caseForNewNegativeFeedback(done, later('fb_2', 9), policy, hoursAfter(3)).outcome).toBe('unrelated');
    expect(caseForNewNegativeFeedback(done, later('fb_2', 2), policy, hoursAfter(24 * 8)).outcome).toBe('unrelated');
    const sameFeedback = later(done.feedbackId, 2);
    expect(caseForNewNegativeFeedback(done, sameFeedback, policy, hoursAfter(3)).outcome).toBe('unrelated');
  });
});

describe('isNegativeFeedback', () => {
  it('goes by the score when there is one and by the sentiment otherwise', () => {
    const negativeText = { sentiment: { label: 'negative', score: -0.7 } } as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), (value) => {
        expect(isNegativeFeedback(categorised(nps(value), negativeText))).toBe(value <= 6);
      }),
    );
    expect(isNegativeFeedback(categorised({ kind: 'text', score: undefined }, negativeText))).toBe(true);
    expect(
      isNegativeFeedback(
        categorised({ kind: 'text', score: undefined }, { sentiment: { label: 'neutral', score: 0 } }),
      ),
    ).toBe(false);
  });
});

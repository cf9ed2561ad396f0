import { describe, expect, it } from 'vitest';
import {
  autopilotMembershipId,
  autopilotRunScheduleName,
  autopilotSettingsSchema,
  DEFAULT_AUTOPILOT_FREQUENCY_SECONDS,
  nextAutopilotRun,
} from '../src/domain/autopilot';

const noon = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400;

describe('Autopilot recurrence', () => {
  it('asks again a frequency after the invitation goes out, sent now or scheduled for later', () => {
    expect(nextAutopilotRun({ status: 'sent', sendAt: noon.toISOString() }, noon, 30 * DAY)).toEqual(
      new Date('2026-12-20T12:00:00Z'),
    );
    // Held until the quiet hours end: the next one counts from when it goes out.
    expect(nextAutopilotRun({ status: 'scheduled', sendAt: '2026-11-21T09:00:00.000Z' }, noon, 30 * DAY)).toEqual(
      new Date('2026-12-21T09:00:00Z'),
    );
  });

  it('tries again as soon as the fatigue limits allow, and never after a suppression without end', () => {
    const until = '2026-12-01T12:00:00.000Z';
    expect(nextAutopilotRun({ status: 'suppressed', until }, noon, 90 * DAY)).toEqual(new Date(until));
    expect(nextAutopilotRun({ status: 'suppressed' }, noon, 90 * DAY)).toBeUndefined();
  });

  it('skips a run while Autopilot is paused or the person has no address, and keeps the rhythm', () => {
    expect(nextAutopilotRun({ status: 'skipped' }, noon, 7 * DAY)).toEqual(new Date('2026-11-27T12:00:00Z'));
  });

  it('defaults to every 90 days, and refuses frequencies under a day or over a year', () => {
    expect(autopilotSettingsSchema.parse({})).toEqual({ active: true, frequency: DEFAULT_AUTOPILOT_FREQUENCY_SECONDS });
    expect(DEFAULT_AUTOPILOT_FREQUENCY_SECONDS).toBe(90 * DAY);
    expect(autopilotSettingsSchema.safeParse({ frequency: 3600 }).success).toBe(false);
    expect(autopilotSettingsSchema.safeParse({ frequency: 400 * DAY }).success).toBe(false);
  });
});

describe('Autopilot membership ids and run schedules', () => {
  it('gives one membership per survey, platform and person, naming nobody', () => {
    const id = autopilotMembershipId('srv_nps', 'email', 'email:anna@example.com');
    expect(id).toMatch(/^apm_[0-9a-f]{32}$/);
    expect(autopilotMembershipId('srv_nps', 'email', 'email:anna@example.com')).toBe(id);
    expect(autopilotMembershipId('srv_nps', 'sms', 'email:anna@example.com')).not.toBe(id);
    expect(autopilotMembershipId('srv_csat', 'email', 'email:anna@example.com')).not.toBe(id);
  });

  it('names each run after its time, within Scheduler’s 64 characters', () => {
    const id = autopilotMembershipId('srv_nps', 'email', 'email:anna@example.com');
    const name = autopilotRunScheduleName(id, noon.toISOString());
    expect(name).toBe(`${id}-${noon.getTime() / 1000}`);
    expect(name).toMatch(/^[0-9A-Za-z_.-]{1,64}$/);
    expect(autopilotRunScheduleName(id, '2027-02-18T12:00:00.000Z')).not.toBe(name);
  });
});

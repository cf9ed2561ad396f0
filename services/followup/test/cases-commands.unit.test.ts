import { FeedbackCategorised } from '@cxloop/events';
import { describe, expect, it } from 'vitest';
import { applyCaseCommand, openCase } from '../src/domain/case-lifecycle';
import { commandsFor } from '../src/use-cases/manage-cases';

const example = FeedbackCategorised.dataSchema.parse(FeedbackCategorised.example);
const opened = openCase(
  example,
  {
    type: 'open_case',
    reason: 'detractor',
    routing: { to: 'account_owner' },
    priority: 'high',
    slaHours: 24,
    ruleId: 'r',
  },
  'anna',
  new Date('2026-11-20T09:00:00Z'),
);
const update = (fields: Partial<Parameters<typeof commandsFor>[1]>) => ({
  caseId: opened.caseId,
  author: 'key-1',
  ...fields,
});

describe('commandsFor', () => {
  it('maps each action to its lifecycle command, and a note to add_note after it', () => {
    expect(commandsFor(opened, update({ action: 'contact', note: 'Called back' }))).toEqual([
      { type: 'record_contact' },
      { type: 'add_note', author: 'key-1', text: 'Called back' },
    ]);
    expect(commandsFor(opened, update({ action: 'assign', owner: 'boris' }))).toEqual([
      { type: 'assign', owner: 'boris' },
    ]);
    expect(commandsFor(opened, update({ action: 'close' }))).toEqual([{ type: 'close' }]);
  });

  it('treats asking again for the status a case has as a no-op (a retried request), except another contact', () => {
    const resolved = [{ type: 'record_contact' }, { type: 'resolve' }].reduce(
      (current, command) => applyCaseCommand(current, command as never, new Date('2026-11-20T10:00:00Z')),
      opened,
    );
    expect(commandsFor(resolved, update({ action: 'resolve' }))).toEqual([]);
    expect(commandsFor(opened, update({ action: 'assign', owner: 'anna' }))).toEqual([]);
    const contacted = applyCaseCommand(opened, { type: 'record_contact' }, new Date('2026-11-20T10:00:00Z'));
    expect(commandsFor(contacted, update({ action: 'contact' }))).toEqual([{ type: 'record_contact' }]);
  });
});

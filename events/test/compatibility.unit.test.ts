import { defineEvent, FeedbackReceived, feedbackSchema } from '@cxloop/events';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { eventJsonSchema } from '../scripts/artefacts';
import { type BreakingChange, findBreakingChanges } from '../scripts/compatibility';

const input = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input' });
const changesBetween = (published: z.ZodType, current: z.ZodType): Array<Pick<BreakingChange, 'kind' | 'path'>> =>
  findBreakingChanges(input(published), input(current)).map(({ kind, path }) => ({ kind, path }));

describe('findBreakingChanges', () => {
  const base = z.object({
    id: z.string().min(1),
    score: z.number().min(0).max(10),
    tags: z.array(z.string().max(20)),
    kind: z.enum(['a', 'b']),
    note: z.string().optional(),
  });

  describe('passes changes that every published event still satisfies', () => {
    it.each([
      ['an identical schema', base],
      ['a new optional property', base.extend({ extra: z.string().optional() })],
      ['a new property with a default', base.extend({ extra: z.boolean().default(false) })],
      ['a required property made optional', base.extend({ id: z.string().min(1).optional() })],
      ['loosened bounds', base.extend({ score: z.number().min(-10).max(100), id: z.string() })],
      ['an added enum value', base.extend({ kind: z.enum(['a', 'b', 'c']) })],
      ['a widened type', base.extend({ score: z.union([z.number().min(0).max(10), z.string()]) })],
      ['a changed description', base.extend({ id: z.string().min(1).describe('The id') })],
    ])('%s', (_, current) => {
      expect(changesBetween(base, current)).toEqual([]);
    });

    it('integer widened to number', () => {
      expect(changesBetween(z.object({ n: z.int() }), z.object({ n: z.number() }))).toEqual([]);
    });
  });

  describe('reports, with its JSON path, a change that rejects published events or drops data', () => {
    it.each([
      ['a removed property', base.omit({ note: true }), 'property-removed', '$.note'],
      ['a property newly required', base.extend({ note: z.string() }), 'property-newly-required', '$.note'],
      ['a new required property', base.extend({ extra: z.string() }), 'property-newly-required', '$.extra'],
      ['a changed type', base.extend({ id: z.number() }), 'type-changed', '$.id'],
      ['a removed enum value', base.extend({ kind: z.enum(['a']) }), 'enum-value-removed', '$.kind'],
      ['a raised minimum', base.extend({ score: z.number().min(1).max(10) }), 'bound-narrowed', '$.score'],
      ['a lowered maximum', base.extend({ score: z.number().min(0).max(5) }), 'bound-narrowed', '$.score'],
      ['a raised minLength', base.extend({ id: z.string().min(2) }), 'bound-narrowed', '$.id'],
      [
        'a lowered maxLength in items',
        base.extend({ tags: z.array(z.string().max(5)) }),
        'bound-narrowed',
        '$.tags[*]',
      ],
      ['a new minItems', base.extend({ tags: z.array(z.string().max(20)).min(1) }), 'bound-narrowed', '$.tags'],
      ['a new format', base.extend({ id: z.email() }), 'format-changed', '$.id'],
      ['closed additional properties', base.strict(), 'additional-properties-closed', '$'],
    ])('%s', (_, current, kind, path) => {
      expect(changesBetween(base, current)).toContainEqual({ kind, path });
    });

    it('an integer where a number was accepted', () => {
      expect(changesBetween(z.object({ n: z.number() }), z.object({ n: z.int() }))).toContainEqual({
        kind: 'type-changed',
        path: '$.n',
      });
    });

    it('an inclusive minimum made exclusive', () => {
      expect(changesBetween(z.int().nonnegative(), z.int().positive())).toContainEqual({
        kind: 'bound-narrowed',
        path: '$',
      });
    });

    it('a changed const', () => {
      const published = z.object({ 'detail-type': z.literal('CaseOpened') });
      expect(changesBetween(published, z.object({ 'detail-type': z.literal('CaseClosed') }))).toEqual([
        { kind: 'const-changed', path: '$["detail-type"]' },
      ]);
    });

    it('null no longer accepted', () => {
      expect(changesBetween(z.string().nullable(), z.string())).toEqual([{ kind: 'type-changed', path: '$' }]);
    });

    it('a removed union branch, reported against the closest remaining branch', () => {
      const card = z.object({ type: z.literal('card'), last4: z.string() });
      const bank = z.object({ type: z.literal('bank'), iban: z.string() });
      const changes = changesBetween(
        z.object({ payment: z.discriminatedUnion('type', [card, bank]) }),
        z.object({ payment: card }),
      );
      expect(changes).toContainEqual({ kind: 'const-changed', path: '$.payment.type' });
      expect(changes).toContainEqual({ kind: 'property-newly-required', path: '$.payment.last4' });
    });

    it('a narrowed record value and key', () => {
      const published = z.record(z.string(), z.string());
      expect(changesBetween(published, z.record(z.string(), z.string().max(3)))).toEqual([
        { kind: 'bound-narrowed', path: '$.*' },
      ]);
      expect(changesBetween(published, z.record(z.string().max(3), z.string()))).toEqual([
        { kind: 'bound-narrowed', path: '$ (property names)' },
      ]);
    });

    it('says what changed', () => {
      const [change] = findBreakingChanges(input(z.string().max(10)), input(z.string().max(5)));
      expect(change?.message).toBe('maxLength 10 → 5');
    });
  });

  it('follows local $refs, including recursive ones', () => {
    const tree = (maxLength: number) => ({
      $ref: '#/$defs/Node',
      $defs: {
        Node: {
          type: 'object' as const,
          properties: {
            label: { type: 'string' as const, maxLength },
            children: { type: 'array' as const, items: { $ref: '#/$defs/Node' } },
          },
        },
      },
    });
    expect(findBreakingChanges(tree(10), tree(10))).toEqual([]);
    expect(findBreakingChanges(tree(10), tree(5))).toContainEqual(
      expect.objectContaining({ kind: 'bound-narrowed', path: '$.label' }),
    );
  });

  it('locates a change inside a real event contract', () => {
    const narrowed = defineEvent({
      ...FeedbackReceived,
      data: feedbackSchema.extend({ text: z.string().max(280).optional() }),
    });
    expect(findBreakingChanges(eventJsonSchema(FeedbackReceived), eventJsonSchema(narrowed))).toEqual([
      { kind: 'bound-narrowed', path: '$.detail.data.text', message: 'maxLength 20000 → 280' },
    ]);
  });
});

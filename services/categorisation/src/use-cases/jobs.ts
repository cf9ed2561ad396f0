import * as z from 'zod';

/** Work the admin API hands to the worker through its queue. */
export const jobSchema = z.discriminatedUnion('kind', [
  /** Train the deployment's model from every stored correction. */
  z.object({ kind: z.literal('train') }),
  /** Re-categorise stored feedback whose result is not from the active taxonomy, from `cursor` on. */
  z.object({
    kind: z.literal('recategorise'),
    correlationId: z.string().min(1),
    cursor: z.record(z.string(), z.unknown()).optional(),
  }),
]);
export type Job = z.infer<typeof jobSchema>;
export type RecategoriseJob = Extract<Job, { kind: 'recategorise' }>;

export type EnqueueJob = (job: Job) => Promise<void>;

import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type OutboundJobInput, outboundJobSchema } from '../domain/outbound-job';

export type EnqueueOutbound = (jobs: readonly OutboundJobInput[], options?: { delaySeconds?: number }) => Promise<void>;

const SQS_BATCH = 10;
const MAX_DELAY_SECONDS = 900;

/**
 * Puts jobs on the outbound queue, validated first so a malformed job fails its producer instead of the sender.
 * Sending the same job twice is harmless: the sender de-duplicates on `jobId`.
 */
export function outboundQueue(queueUrl: string, client = new SQSClient({})): EnqueueOutbound {
  return async (jobs, options = {}) => {
    const bodies = jobs.map((job) => JSON.stringify(outboundJobSchema.parse(job)));
    const delaySeconds = Math.min(Math.max(0, Math.round(options.delaySeconds ?? 0)), MAX_DELAY_SECONDS);
    for (let start = 0; start < bodies.length; start += SQS_BATCH) {
      const entries = bodies.slice(start, start + SQS_BATCH).map((body, index) => ({
        Id: String(start + index),
        MessageBody: body,
        ...(delaySeconds > 0 ? { DelaySeconds: delaySeconds } : {}),
      }));
      const result = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      if (result.Failed && result.Failed.length > 0) {
        const first = result.Failed[0];
        throw new Error(`Outbound queue refused ${result.Failed.length} job(s): ${first?.Code} ${first?.Message}`);
      }
    }
  };
}

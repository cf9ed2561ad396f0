import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { logger } from '@cxloop/lambda-kit';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { recordSesFeedback } from '../use-cases/ses-feedback';
import { invitationStores } from './invitation-deps';

const { suppressions } = invitationStores();
const processor = new BatchProcessor(EventType.SQS);

/** SES bounces and complaints (rule on the default bus → SQS → here): each affected address is suppressed. */
async function processRecord(record: SQSRecord): Promise<void> {
  const recorded = await recordSesFeedback({ suppressions }, JSON.parse(record.body), new Date());
  // Counts and reasons only: the addresses are personal data.
  logger.info('SES feedback', { suppressed: recorded.length, reasons: [...new Set(recorded.map((s) => s.reason))] });
}

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  processPartialResponse(event, processRecord, processor, { context });

/**
 * `npm run redrive -- [name-filter]`: moves every message parked in a cxloop dead-letter queue back to the queue it
 * came from, once the cause is fixed (SQS StartMessageMoveTask, with the destination named explicitly because a DLQ
 * also receives events EventBridge could not deliver, which have no "original source queue").
 *
 * Uses the standard AWS environment: your credentials and region against AWS, or, against `npm start`, the SQS
 * endpoint it prints (`AWS_ENDPOINT_URL_SQS=... npm run redrive`).
 */
import {
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';

const filter = process.argv[2] ?? '';
const sqs = new SQSClient({});

async function queueAttributes(queueUrl: string) {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'] }),
  );
  return { arn: Attributes?.QueueArn ?? '', waiting: Number(Attributes?.ApproximateNumberOfMessages ?? 0) };
}

const queueUrls: string[] = [];
let nextToken: string | undefined;
do {
  const page = await sqs.send(
    new ListQueuesCommand({ MaxResults: 1000, ...(nextToken ? { NextToken: nextToken } : {}) }),
  );
  queueUrls.push(...(page.QueueUrls ?? []));
  nextToken = page.NextToken;
} while (nextToken);

let moved = 0;
for (const dlqUrl of queueUrls.filter((url) => url.includes('DeadLetterQueue') && url.includes(filter))) {
  const sources = (await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl }))).queueUrls ?? [];
  const [sourceUrl] = sources;
  const dlq = await queueAttributes(dlqUrl);
  if (!sourceUrl || dlq.waiting === 0) continue;
  const source = await queueAttributes(sourceUrl);
  const { TaskHandle } = await sqs.send(
    new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: source.arn }),
  );
  console.log(`${dlq.waiting} message(s): ${dlqUrl} → ${sourceUrl} (task ${TaskHandle ?? 'started'})`);
  moved += dlq.waiting;
}
console.log(moved === 0 ? 'No dead-letter queue holds messages.' : `Redrive started for ${moved} message(s).`);

/**
 * Recounts surveys' stored feedback into new generations of cells, from the command line, with progress. The same
 * rebuild as `POST /v1/aggregation/surveys/{surveyId}/rebuild`, run in this process: safe while the consumer counts
 * live traffic, and safe to stop and start again (it goes on where it stopped).
 *
 * Usage: npm run rebuild:aggregation -- --endpoint http://127.0.0.1:8000 --table <aggregation table>
 *        (--survey srv_… | --all)
 * `npm start` prints the DynamoDB endpoint and the tables; on AWS, pass no --endpoint (credentials from the
 * environment) and the table name from the stack.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { aggregationStores } from '../src/store';
import { continueRebuild, rebuildProgress, startRebuild } from '../src/use-cases/rebuild';
import { argumentsOf } from './local-table';

const args = argumentsOf(process.argv.slice(2));
const tableName = args.get('table');
if (!tableName || (!args.has('survey') && !args.has('all'))) {
  console.error('Usage: rebuild:aggregation -- [--endpoint URL] --table NAME (--survey ID | --all)');
  process.exit(2);
}
const endpoint = args.get('endpoint');
const client = new DynamoDBClient(
  endpoint ? { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {},
);
const stores = aggregationStores(
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
  tableName,
);

const surveyIds = args.has('all') ? await stores.surveys.list() : [args.get('survey')!];
for (const surveyId of surveyIds) {
  const started = await startRebuild(stores, surveyId, new Date());
  console.log(`${surveyId}: rebuilding into generation ${started.generation}, ${started.total} feedback items`);
  for (;;) {
    const { job, more } = await continueRebuild(stores, surveyId, () => false);
    if (!job) break;
    const progress = rebuildProgress(job);
    console.log(`${surveyId}: ${progress.percent} % (${job.processed} read, ${job.recounted} recounted)`);
    if (job.status === 'done') break;
    if (!more) {
      console.log(`${surveyId}: another worker is advancing this rebuild; follow it with GET …/rebuild`);
      break;
    }
  }
}
client.destroy();

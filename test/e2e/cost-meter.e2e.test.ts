import type { MeterReport } from '@cxloop/local-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

/** Issue 13: the runtime meters what AWS would bill while the real handlers run the loop. */
describe('cost meter through the local runtime', () => {
  let system: TestRuntime;
  let report: MeterReport;
  const answers = [
    { score: 3, comment: 'Доставка опоздала на три дня', locale: 'ru-RU' },
    { score: 10, comment: 'Great service, the courier was friendly', locale: 'en-GB' },
    { score: 7, comment: 'Нормально, но дорого', locale: 'ru-RU' },
  ];

  const functionOf = (logicalIdPrefix: string) => {
    const entry = Object.entries(system.runtime.resources.functions).find(([logicalId]) =>
      logicalId.startsWith(logicalIdPrefix),
    );
    if (!entry) throw new Error(`no function ${logicalIdPrefix}`);
    return report.byFunction[entry[1]];
  };
  const quantity = (usage: MeterReport['byFunction'][string] | undefined, item: string) =>
    usage?.lineItems.find((line) => line.item === item)?.quantity ?? 0;

  beforeAll(async () => {
    system = await startTestRuntime();
    const created = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Metered NPS', type: 'nps' },
    });
    const surveyId = ((await created.json()) as { id: string }).id;
    await system.runtime.idle();
    system.runtime.meter.reset();
    for (const [index, answer] of answers.entries()) {
      const response = await system.api(`/v1/surveys/${surveyId}/responses`, {
        method: 'POST',
        json: { responseId: `metered-${index + 100000}`, ...answer },
      });
      expect(response.status).toBe(201);
    }
    await system.runtime.idle(60_000);
    report = system.runtime.meter.report();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('bills one API Gateway request per POST, to the function that serves the route', () => {
    expect(quantity(functionOf('CollectionPublicApi'), 'apigateway.http-requests')).toBe(answers.length);
    expect(report.lineItems.find((line) => line.item === 'apigateway.http-requests')?.quantity).toBe(answers.length);
  });

  it("meters each function's DynamoDB units, invocations, GB-seconds and log bytes as its own", () => {
    const categoriser = functionOf('CategorisationCategoriser');
    expect(quantity(categoriser, 'dynamodb.write-request-units')).toBeGreaterThan(0);
    expect(quantity(categoriser, 'lambda.requests')).toBeGreaterThanOrEqual(1);
    expect(quantity(categoriser, 'lambda.gb-seconds-arm')).toBeGreaterThan(0);
    expect(quantity(categoriser, 'cloudwatch.logs-ingested-gb')).toBeGreaterThan(0);
    expect(categoriser?.cxloopService).toBe('Categorisation');
    // Every response is stored: at least one write unit each in collection's table.
    expect(quantity(functionOf('CollectionPublicApi'), 'dynamodb.write-request-units')).toBeGreaterThanOrEqual(
      answers.length,
    );
  });

  it('counts the events published and the SQS traffic of the pipeline', () => {
    const events = report.lineItems.find((line) => line.item === 'eventbridge.custom-events')?.quantity ?? 0;
    // FeedbackReceived and FeedbackCategorised for each answer, at least.
    expect(events).toBeGreaterThanOrEqual(2 * answers.length);
    expect(quantity(functionOf('CategorisationCategoriser'), 'sqs.requests')).toBeGreaterThanOrEqual(2);
    expect(report.monthly.lineItems[0]?.item).toBe('sqs.requests');
  });

  it('sums the line items into the AWS services, the cxloop services and the total', () => {
    const sum = (values: Record<string, number>) => Object.values(values).reduce((total, usd) => total + usd, 0);
    expect(report.usd).toBeGreaterThan(0);
    expect(sum(report.byAwsService)).toBeCloseTo(report.usd, 12);
    expect(sum(report.byCxloopService)).toBeCloseTo(report.usd, 12);
    expect(Object.keys(report.byCxloopService)).toEqual(
      expect.arrayContaining(['Collection', 'Categorisation', 'Aggregation']),
    );
  });
});

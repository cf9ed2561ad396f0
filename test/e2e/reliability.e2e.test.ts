import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

const run = promisify(execFile);

/** Failures through the same runtime: retries, dead-letter queues and the redrive command, without losing or doubling. */
describe('reliability: failing consumers, dead-letter queues and redrive', () => {
  let system: TestRuntime;
  let surveyId: string;

  beforeAll(async () => {
    system = await startTestRuntime();
    const created = await system.api('/v1/surveys', { method: 'POST', admin: true, json: { name: 'Reliability' } });
    surveyId = ((await created.json()) as { id: string }).id;
  });
  afterAll(async () => {
    await system?.stop();
  });

  const answer = (index: number, score: number) =>
    system.api(`/v1/surveys/${surveyId}/responses`, {
      method: 'POST',
      json: { responseId: `reliability-${String(index).padStart(4, '0')}`, score },
    });

  const metrics = async () =>
    (await (await system.api(`/v1/metrics?surveyId=${surveyId}`, { admin: true })).json()) as {
      responses: number;
      promoters: number;
      detractors: number;
    };

  const redriveEveryDeadLetterQueue = async () => {
    for (const queue of Object.keys(system.runtime.resources.queues).filter((id) => id.includes('DeadLetterQueue'))) {
      if (system.runtime.queueMessages(queue).length > 0) await system.runtime.redrive(queue);
    }
    await system.runtime.idle(60_000);
  };

  it('retries transient failures, parks the rare message that exhausts them, and counts every response exactly once', async () => {
    system.runtime.faults.inject({ function: 'Categoriser', failureRate: 0.3 });
    system.runtime.faults.inject({ function: 'Aggregator', failureRate: 0.3 });
    const scores = Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? 10 : 2));
    for (const [index, score] of scores.entries()) expect((await answer(index, score)).status).toBe(201);
    await system.runtime.idle(60_000);
    system.runtime.faults.clear();
    // At 30% a message fails all five of its receives about once in 400: it waits in a dead-letter queue, not lost.
    await redriveEveryDeadLetterQueue();
    expect(await metrics()).toMatchObject({ responses: 20, promoters: 10, detractors: 10 });
  });

  it('parks what keeps failing in the dead-letter queue, and `npm run redrive` brings it back once fixed', async () => {
    const deadLetterQueue = Object.keys(system.runtime.resources.queues).find((id) =>
      id.startsWith('AggregationFeedbackDeadLetterQueue'),
    );
    expect(deadLetterQueue).toBeDefined();
    system.runtime.faults.inject({ function: 'Aggregator', failureRate: 1, error: 'aggregation is down' });
    for (const index of [100, 101, 102]) expect((await answer(index, 9)).status).toBe(201);
    await system.runtime.idle(60_000);
    expect(system.runtime.queueMessages(deadLetterQueue!)).toHaveLength(3);
    expect((await metrics()).responses).toBe(20);

    system.runtime.faults.clear();
    const { stdout } = await run('npx', ['tsx', 'infra/scripts/redrive.ts', 'Aggregation'], {
      env: {
        ...process.env,
        AWS_ENDPOINT_URL_SQS: `${system.runtime.awsEndpoint}/sqs`,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      },
    });
    expect(stdout).toContain('Redrive started for 3 message(s).');
    await system.runtime.idle(60_000);
    expect(system.runtime.queueMessages(deadLetterQueue!)).toHaveLength(0);
    expect(await metrics()).toMatchObject({ responses: 23, promoters: 13 });
  });
});

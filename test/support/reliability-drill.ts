import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalRuntime } from '@cxloop/local-runtime';
import { provenRespondent } from './respondents';

/**
 * The reliability drill (issue 13): responses through the whole loop while every function fails in every way —
 * before its handler, after it (the result lost), in its SDK calls (the services' own retryable errors) and at a
 * timeout part-way — with clients delivering answers twice and changing some later, and poison responses whose
 * categorisation always fails. Then the faults are cleared (the poison's cause with them), every dead-letter queue
 * is redriven, and the figures are checked against what the final revisions say.
 */
export interface DrillOptions {
  responses: number;
  /** Share of responses a client posts again unchanged. */
  duplicateShare: number;
  /** Share of responses changed later (a second revision: another score and comment). */
  revisionShare: number;
  /** Share of poison responses: their categorisation fails every time until the cause is fixed. */
  poisonShare: number;
  /** Rate of each fault mode on every function. */
  faultRate: number;
  /** How long each wait for the runtime to settle may take. */
  idleTimeoutMs: number;
  log: (line: string) => void;
  /** Called once the faults are cleared, before the redrive (what fails from then on is not injected). */
  onFaultsCleared?: () => void;
}

export interface DrillReport {
  expected: Counts;
  counted: Counts;
  exact: boolean;
  lost: number;
  duplicateSends: number;
  emails: number;
  slackPosts: number;
  /** Messages in dead-letter queues before the redrive: poison ones, and others that failed all their receives. */
  deadLettered: { poison: number; other: number; byQueue: Record<string, number> };
  /** What each dead-letter queue still holds after the redrive: the messages' detail types. */
  leftByQueue: Record<string, string[]>;
  redriven: number;
  dlqAfterRedrive: number;
  postSeconds: number;
  settleSeconds: number;
  redriveSeconds: number;
}

export interface Counts {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
}

const POISON_MARK = 'rel-poison-';
/** Half promoters, a quarter passives, a quarter detractors, in an order that mixes them. */
const SCORES = [10, 9, 8, 10, 6, 9, 7, 10, 3, 9, 10, 8, 9, 0, 10, 7, 9, 5, 10, 8];
const faultModes = ['before', 'after', 'sdk', 'timeout'] as const;
const comments = {
  promoter: ['Отличный сервис, всё быстро и удобно!', 'Great support, fast delivery, thank you!'],
  passive: ['Нормально, но доставка могла быть быстрее.', 'Fine overall, the app is a bit slow sometimes.'],
  detractor: ['Доставка опоздала на три дня, никто не ответил.', 'Terrible experience, the order arrived broken.'],
};

/** Answers from many loopback addresses, so the per-address abuse limit of the public API is not what is measured. */
/** How long the outbound Sender's claim on a message lasts at most: its 30 s timeout plus the 10 s lease margin. */
const SENDER_CLAIM_MS = 41_000;

const sourceAddress = (index: number) => `127.0.${1 + Math.floor(index / 250)}.${1 + (index % 250)}`;

interface Answer {
  surveyIndex: number;
  responseId: string;
  score: number;
  comment: string;
  customer: string;
}

export async function runReliabilityDrill(
  runtime: LocalRuntime,
  adminKey: string,
  options: DrillOptions,
): Promise<DrillReport> {
  const { log } = options;
  const slack = await startSlackListener();
  try {
    const admin = adminClient(runtime, adminKey);
    await admin('PUT', '/v1/followup-channels', {
      slack: { targets: { default: `${slack.url}/slack/default` } },
      email: { from: 'cx@example.com' },
    });
    await admin('PUT', '/v1/followup-config', { reviewUrl: 'https://reviews.example.com/acme' });
    // The public API counts at most 600 answers a minute per survey: a few hundred answers per survey stay below it.
    const surveys: { id: string; identitySecret: string }[] = [];
    for (let index = 0; index < Math.max(1, Math.ceil(options.responses / 400)); index++) {
      surveys.push(
        (await admin('POST', '/v1/surveys', { name: `Reliability ${index}`, type: 'nps', timeZone: 'UTC' })) as {
          id: string;
          identitySecret: string;
        },
      );
    }

    const answers: Answer[] = Array.from({ length: options.responses }, (_, index) => {
      const poison = chosen(index, options.poisonShare, 11);
      const score = SCORES[index % SCORES.length]!;
      return {
        surveyIndex: index % surveys.length,
        responseId: `${poison ? POISON_MARK : 'rel-'}${String(index).padStart(6, '0')}`,
        score,
        comment: commentFor(score, index),
        customer: `customer-${index}`,
      };
    });
    const duplicates = answers.filter((_, index) => chosen(index, options.duplicateShare, 1));
    const revisions = answers
      .filter((_, index) => chosen(index, options.revisionShare, 3))
      .map((answer) => {
        const score = SCORES[(SCORES.indexOf(answer.score) + 7) % SCORES.length]!;
        return { ...answer, score, comment: commentFor(score, answer.score) };
      });

    for (const fn of Object.keys(runtime.resources.functions)) {
      for (const mode of faultModes) runtime.faults.inject({ function: fn, failureRate: options.faultRate, mode });
    }
    runtime.faults.inject({ function: 'Categoriser', failureRate: 1, mode: 'sdk', match: POISON_MARK });
    log(
      `posting ${answers.length} responses to ${surveys.length} surveys, ${duplicates.length} again unchanged, ${revisions.length} changed later; ${Math.round(options.faultRate * 100)} % faults of each mode on ${Object.keys(runtime.resources.functions).length} functions`,
    );

    const postedAt = performance.now();
    let sent = 0;
    const post = (answer: Answer) => {
      const survey = surveys[answer.surveyIndex]!;
      return postAnswer(runtime.url, sourceAddress(sent++ % 4000), `/v1/surveys/${survey.id}/responses`, {
        responseId: answer.responseId,
        score: answer.score,
        comment: answer.comment,
        locale: answer.comment.match(/[а-я]/i) ? 'ru-RU' : 'en-GB',
        respondent: provenRespondent(survey.identitySecret, {
          id: answer.customer,
          email: `${answer.customer}@example.com`,
        }),
      });
    };
    await inTurns(answers, 8, post);
    // Repeats come after the first posts, and changes after the repeats: a repeat of the first post arriving after
    // the change would be a change back (the API takes a post with other content as the response's next revision).
    await inTurns(shuffled(duplicates), 8, post);
    await inTurns(shuffled(revisions), 8, post);
    const postSeconds = (performance.now() - postedAt) / 1000;
    log(`posted in ${postSeconds.toFixed(1)} s; running to idle`);

    await runtime.idle(options.idleTimeoutMs);
    const settleSeconds = (performance.now() - postedAt) / 1000 - postSeconds;
    runtime.faults.clear();
    options.onFaultsCleared?.();
    const deadLetterQueues = Object.keys(runtime.resources.queues).filter((id) => id.includes('DeadLetterQueue'));
    const deadLettered: DrillReport['deadLettered'] = { poison: 0, other: 0, byQueue: {} };
    for (const queue of deadLetterQueues) {
      for (const message of runtime.queueMessages(queue)) {
        if (message.body.includes(POISON_MARK)) deadLettered.poison++;
        else deadLettered.other++;
        deadLettered.byQueue[queue] = (deadLettered.byQueue[queue] ?? 0) + 1;
      }
    }
    log(
      `settled ${settleSeconds.toFixed(1)} s after the last post; dead-lettered: ${deadLettered.poison} poison, ${deadLettered.other} other; faults cleared, redriving`,
    );

    const redriveStarted = performance.now();
    let redriven = 0;
    // A send cut mid-way (timeout mode) holds its claim for the Sender's real timeout plus margin (40 s), while the
    // runtime's queue timers run on the faster test clock: its redelivery finds it busy and can exhaust its receives
    // before the claim lapses (in AWS the visibility timeout waits for the claim). A round that leaves messages
    // waits the claim out before the next; what still fails with the faults cleared is left and reported.
    for (let round = 0; round < 3; round++) {
      let moved = 0;
      for (const queue of deadLetterQueues) {
        if (runtime.queueMessages(queue).length > 0) moved += await runtime.redrive(queue);
      }
      redriven += moved;
      await runtime.idle(options.idleTimeoutMs);
      if (moved === 0) break;
      if (deadLetterQueues.some((queue) => runtime.queueMessages(queue).length > 0)) {
        await new Promise((resolve) => setTimeout(resolve, SENDER_CLAIM_MS));
      }
    }
    const redriveSeconds = (performance.now() - redriveStarted) / 1000;
    const leftByQueue: Record<string, string[]> = {};
    for (const queue of deadLetterQueues) {
      const left = runtime.queueMessages(queue).map((message) => detailTypeOf(message.body));
      if (left.length > 0) leftByQueue[queue] = left;
    }
    const dlqAfterRedrive = Object.values(leftByQueue).reduce((sum, left) => sum + left.length, 0);

    const finalAnswers = new Map(answers.map((answer) => [answer.responseId, answer]));
    for (const revision of revisions) finalAnswers.set(revision.responseId, revision);
    const expected = emptyCounts();
    for (const answer of finalAnswers.values()) add(expected, answer.score);
    const counted = emptyCounts();
    for (const survey of surveys) {
      const metrics = (await admin('GET', `/v1/metrics?surveyId=${survey.id}`)) as Partial<Counts>;
      for (const key of Object.keys(counted) as (keyof Counts)[]) counted[key] += metrics[key] ?? 0;
    }
    const exact = (Object.keys(expected) as (keyof Counts)[]).every((key) => expected[key] === counted[key]);

    const emails = runtime.outbox();
    const duplicateEmails =
      emails.length - new Set(emails.map((email) => `${email.to.join(',')}|${email.subject}`)).size;
    const caseIds = slack.posts.map((body) => /case_[A-Za-z0-9_-]+/.exec(body)?.[0] ?? body);
    const duplicatePosts = caseIds.length - new Set(caseIds).size;
    return {
      expected,
      counted,
      exact,
      lost: Math.max(0, expected.responses - counted.responses),
      duplicateSends: duplicateEmails + duplicatePosts,
      emails: emails.length,
      slackPosts: slack.posts.length,
      deadLettered,
      leftByQueue,
      redriven,
      dlqAfterRedrive,
      postSeconds,
      settleSeconds,
      redriveSeconds,
    };
  } finally {
    await slack.stop();
  }
}

/** The drill's summary lines, ending with the line scripts read. */
export function reportLines(report: DrillReport): string[] {
  const counts = (c: Counts) =>
    `responses ${c.responses}, promoters ${c.promoters}, passives ${c.passives}, detractors ${c.detractors}`;
  return [
    `metrics exact: ${report.exact ? 'yes' : 'no'} (expected ${counts(report.expected)}; counted ${counts(report.counted)})`,
    `lost: ${report.lost}`,
    `e-mails sent: ${report.emails}, Slack posts: ${report.slackPosts}, duplicates among them: ${report.duplicateSends}`,
    `dead-lettered before the redrive: ${report.deadLettered.poison} poison, ${report.deadLettered.other} other (${byQueue(report.deadLettered.byQueue)}); redriven: ${report.redriven}; left after the redrive: ${report.dlqAfterRedrive}${
      report.dlqAfterRedrive > 0
        ? ` (${Object.entries(report.leftByQueue)
            .map(([queue, left]) => `${shortName(queue)}: ${left.join(', ')}`)
            .join('; ')})`
        : ''
    }`,
    `time: posting ${report.postSeconds.toFixed(1)} s, settled ${report.settleSeconds.toFixed(1)} s after the last post, redrive and settle ${report.redriveSeconds.toFixed(1)} s`,
    `reliability: exact=${report.exact ? 'yes' : 'no'} lost=${report.lost} duplicate-sends=${report.duplicateSends} dlq-after-redrive=${report.dlqAfterRedrive}`,
  ];
}

/** Whether the index is among `share` of them: that share of any run of indexes, evenly spread, shifted by `salt`. */
const chosen = (index: number, share: number, salt: number) =>
  Math.floor((index + 1) * share + salt / 10) > Math.floor(index * share + salt / 10);

/** A queue's logical id without CDK's hash suffix. */
const shortName = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');
const byQueue = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([queue, count]) => `${shortName(queue)} ${count}`)
    .join(', ') || 'none';

/** An EventBridge event's detail type, or what kind of job a queued message is. */
function detailTypeOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { 'detail-type'?: string; channel?: string; purpose?: string };
    return parsed['detail-type'] ?? [parsed.channel, parsed.purpose].filter(Boolean).join(' ') ?? 'message';
  } catch {
    return 'message';
  }
}

function commentFor(score: number, index: number): string {
  const group = score >= 9 ? comments.promoter : score >= 7 ? comments.passive : comments.detractor;
  return group[index % group.length]!;
}

const emptyCounts = (): Counts => ({ responses: 0, promoters: 0, passives: 0, detractors: 0 });

function add(counts: Counts, score: number): void {
  counts.responses++;
  if (score >= 9) counts.promoters++;
  else if (score >= 7) counts.passives++;
  else counts.detractors++;
}

function shuffled<T>(items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
  return items;
}

async function inTurns<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

/** Admin calls, made while no fault is injected. */
function adminClient(runtime: LocalRuntime, adminKey: string) {
  return async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
}

/** A widget's post, retried as a client retries: on a 5xx, a 429 or a broken connection, until it is taken. */
async function postAnswer(baseUrl: string, localAddress: string, path: string, body: object): Promise<void> {
  const text = JSON.stringify(body);
  for (let attempt = 0; ; attempt++) {
    const status = await new Promise<number>((resolve) => {
      const outgoing = request(
        `${baseUrl}${path}`,
        { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      outgoing.on('error', () => resolve(0));
      outgoing.end(text);
    });
    if (status === 200 || status === 201) return;
    if (status !== 0 && status !== 429 && status < 500) throw new Error(`POST ${path}: ${status}`);
    if (attempt === 30) throw new Error(`POST ${path}: still ${status} after ${attempt} retries`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 50 * 2 ** attempt)));
  }
}

/** Stands in for Slack's incoming webhook: records every post. */
async function startSlackListener() {
  const posts: string[] = [];
  const server = createServer((incoming, response) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    incoming.on('end', () => {
      posts.push(body);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

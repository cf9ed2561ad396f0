import { MetricAlertRaised } from '@cxloop/events';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DASHBOARD_CSP } from '../../infra/lib/dashboard';
import { formatter } from '../../packages/dashboard/src/format';
import { translator } from '../../packages/dashboard/src/i18n';
import { csatMetrics, npsMetrics } from '../../services/aggregation/src/domain/metrics';
import { describeInBrowser, launchChromium, resultsDir, seriousViolations } from '../support/browser';
import { publishOnLocalBus } from '../support/bus';
import { provenRespondent } from '../support/respondents';
import { startTestRuntime, TEST_ADMIN_KEY, type TestRuntime } from '../support/runtime';

/** The seed: ten NPS answers (5 promoters, 2 passives, 3 detractors) and five CSAT answers (3 of them 4–5). */
const npsAnswers = [
  { score: 10, channel: 'web', comment: 'Курьер приехал вовремя, спасибо', locale: 'ru-RU' },
  { score: 10, channel: 'email', comment: 'Great support, fast answer', locale: 'en-US' },
  { score: 9, channel: 'web', comment: 'Friendly staff', locale: 'en-US' },
  { score: 9, channel: 'sms' },
  { score: 9, channel: 'web' },
  { score: 8, channel: 'email', comment: 'The price is too high', locale: 'en-US', customer: 'smb-1' },
  { score: 7, channel: 'web' },
  { score: 6, channel: 'sms', comment: 'Delivery was late again', locale: 'en-US', customer: 'smb-2' },
  { score: 3, channel: 'email', comment: 'Доставка опоздала на три дня', locale: 'ru-RU', customer: 'smb-3' },
  { score: 0, channel: 'web', comment: 'Поддержка не отвечает', locale: 'ru-RU', customer: 'smb-4' },
];
const csatAnswers = [5, 5, 4, 3, 1];

/** The figures computed straight from the seed (not read from the API), formatted as the dashboard formats them. */
function histogramOf(scores: number[], min: number, max: number): number[] {
  const histogram = new Array<number>(max - min + 1).fill(0);
  for (const score of scores) histogram[score - min]! += 1;
  return histogram;
}
const expectedNps = npsMetrics(
  histogramOf(
    npsAnswers.map((answer) => answer.score),
    0,
    10,
  ),
);
const expectedCsat = csatMetrics(histogramOf(csatAnswers, 1, 5));
const en = formatter(translator('en'));

/** How many pixels of a canvas are painted: a chart that rendered has thousands. */
function paintedPixels(page: Page, testId: string): Promise<number> {
  return page.evaluate((id) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${id}"]`);
    const context = canvas?.getContext('2d');
    if (!canvas || !context || canvas.width === 0) return 0;
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let index = 3; index < pixels.length; index += 4) if ((pixels[index] ?? 0) > 0) painted++;
    return painted;
  }, testId);
}

describeInBrowser('the dashboard, served by the local runtime, against seeded data in headless Chromium', () => {
  let system: TestRuntime;
  let browser: Browser;
  let npsSurvey: string;
  let csatSurvey: string;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  const foreignRequests: string[] = [];

  async function newPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text())) {
        cspViolations.push(message.text());
      }
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(system.runtime.url)) foreignRequests.push(request.url());
    });
    return page;
  }

  async function signIn(page: Page, key: string, hash = ''): Promise<void> {
    await page.goto(`${system.runtime.url}/dashboard${hash}`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** The dashboard has drawn everything that depends on the API. */
  async function settled(page: Page): Promise<void> {
    await page.getByTestId('live').filter({ hasText: /./ }).waitFor({ state: 'attached' });
    await page.getByTestId('cases-table').or(page.getByText('No open follow-ups.')).waitFor();
  }

  beforeAll(async () => {
    [system, browser] = await Promise.all([startTestRuntime(), launchChromium()]);
    const create = async (body: Record<string, unknown>) => {
      const created = await system.api('/v1/surveys', { method: 'POST', admin: true, json: body });
      expect(created.status).toBe(201);
      return ((await created.json()) as { id: string }).id;
    };
    const npsCreated = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Delivery NPS', type: 'nps', timeZone: 'Europe/Moscow' },
    });
    expect(npsCreated.status).toBe(201);
    const { id, identitySecret } = (await npsCreated.json()) as { id: string; identitySecret: string };
    npsSurvey = id;
    csatSurvey = await create({ name: 'Support CSAT', type: 'csat', timeZone: 'Europe/Moscow' });
    for (const [index, answer] of npsAnswers.entries()) {
      const posted = await system.api(`/v1/surveys/${npsSurvey}/responses`, {
        method: 'POST',
        json: {
          responseId: `dashboard-nps-${index}`,
          score: answer.score,
          channel: answer.channel,
          ...(answer.comment ? { comment: answer.comment, locale: answer.locale } : {}),
          // The small-business customers the host site signed in: someone to call if their segment falls.
          ...(answer.customer
            ? { respondent: provenRespondent(identitySecret, { id: answer.customer }), properties: { plan: 'smb' } }
            : {}),
        },
      });
      expect(posted.status).toBe(201);
    }
    for (const [index, score] of csatAnswers.entries()) {
      const posted = await system.api(`/v1/surveys/${csatSurvey}/responses`, {
        method: 'POST',
        json: { responseId: `dashboard-csat-${index}`, score, channel: 'web' },
      });
      expect(posted.status).toBe(201);
    }
    await system.runtime.idle(60_000);
    // The small-business segment fell: its outreach opens (the passive gets a case; the detractors have theirs).
    const today = new Date().toISOString().slice(0, 10);
    await publishOnLocalBus(system, MetricAlertRaised, {
      ...MetricAlertRaised.example,
      alertId: 'alert_dashboard_smb',
      surveyId: npsSurvey,
      segment: { dimension: 'plan', value: 'smb' },
      current: { from: today, to: today, n: 4, value: -50 },
      raisedAt: new Date().toISOString(),
    });
    await system.runtime.idle(60_000);
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('is served at /dashboard from the cloud assembly, with the distribution’s security headers', async () => {
    expect(system.runtime.outputs.DashboardUrl).toBe(`${system.runtime.url}/dashboard`);
    const bare = await fetch(`${system.runtime.url}/dashboard`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/dashboard/');

    const index = await system.api('/dashboard/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('<script type="module" src="app.js"></script>');
    const again = await system.api('/dashboard/', { headers: { 'if-none-match': index.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);

    const script = await system.api('/dashboard/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await script.text()).length).toBeGreaterThan(50_000);
    expect(await (await system.api('/dashboard/config.json')).json()).toEqual({ apiUrl: '/' });
    expect((await system.api('/dashboard/no-such-file.js')).status).toBe(403);
  });

  it('says clearly when the API rejects the key', async () => {
    const page = await newPage();
    await signIn(page, 'not-a-valid-key-000000000000000000000');
    await expect.poll(() => page.getByTestId('sign-in-error').textContent()).toContain('401');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.close();
  });

  it('opens on the survey with the most recent answers, then on the one shown last', async () => {
    const page = await newPage();
    await signIn(page, TEST_ADMIN_KEY);
    // The CSAT answers were posted after the NPS ones.
    await page.getByTestId('csat-n').waitFor();
    expect(page.url()).toContain(`survey=${csatSurvey}`);
    await page.getByTestId('survey').selectOption(npsSurvey);
    await page.getByTestId('nps-n').waitFor();
    await page.goto(`${system.runtime.url}/dashboard/`);
    await page.getByTestId('nps-n').waitFor();
    expect(page.url()).toContain(`survey=${npsSurvey}`);
    await page.close();
  });

  it('shows the seeded NPS and CSAT figures, the trend with its band, the distribution, breakdown, topics and follow-ups', async () => {
    const page = await newPage();
    await signIn(page, TEST_ADMIN_KEY, `#/?survey=${npsSurvey}`);
    await settled(page);

    // NPS 20 (50 % promoters − 30 % detractors) of n = 10, with its trinomial margin of error.
    expect(expectedNps).toMatchObject({ n: 10, promoters: 5, passives: 2, detractors: 3, nps: 20 });
    expect(await page.getByTestId('nps-value').textContent()).toBe(en.metric('nps', expectedNps.nps!));
    expect(await page.getByTestId('nps-value').textContent()).toBe('20');
    expect(await page.getByTestId('nps-n').textContent()).toBe('10 responses');
    expect(await page.getByTestId('nps-margin').textContent()).toContain(en.margin('nps', expectedNps.marginOfError!));
    expect(await page.getByTestId('tile-csat').textContent()).toContain('This survey does not ask for it.');

    await expect.poll(() => paintedPixels(page, 'trend-chart')).toBeGreaterThan(500);
    await expect.poll(() => paintedPixels(page, 'distribution-chart')).toBeGreaterThan(500);
    const trendRows = await page.locator('.trend-table tbody tr').allTextContents();
    expect(trendRows.length).toBe(30);
    expect(trendRows.at(-1)).toContain('10');
    const distribution = await page.locator('.distribution-table tbody tr').allTextContents();
    expect(distribution).toHaveLength(11);
    expect(distribution[9]).toMatch(/^93.*Promoters/);
    expect(distribution[0]).toMatch(/^01.*Detractors/);

    const breakdown = await page.getByTestId('breakdown-table').locator('tbody tr').allTextContents();
    expect(breakdown.map((row) => row.slice(0, row.search(/\d/)))).toEqual(['web', 'email', 'sms']);
    await page.getByRole('button', { name: 'n', exact: true }).click();
    const ascending = await page.getByTestId('breakdown-table').locator('tbody th').allTextContents();
    expect(ascending).toEqual(['sms', 'email', 'web']);
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain('n');

    const topics = page.getByTestId('topics');
    await topics.locator('mark').first().waitFor();
    expect(await topics.textContent()).toContain('Delivery & timeliness');

    const cases = await page.getByTestId('cases-table').locator('tbody tr').allTextContents();
    // Three detractor cases and the passive's outreach case.
    expect(cases.filter((row) => row.includes('Delivery NPS'))).toHaveLength(4);
    expect(cases.filter((row) => row.includes('Segment outreach'))).toHaveLength(1);
    await page.getByTestId('loop-metrics').or(page.getByText('Closed-loop figures are not available')).waitFor();

    // Ten answers are few: the NPS tile says so.
    expect(await page.getByTestId('nps-few').textContent()).toContain('few answers');
    // What costs the most points: delivery (two detractors) before support (one), each bar a link to its feedback.
    const drivers = page.getByTestId('drivers');
    await drivers.waitFor();
    const bars = await drivers.locator('.driver-name').allTextContents();
    expect(bars[0]).toBe('Delivery & timeliness');
    expect(await drivers.locator('li').first().textContent()).toContain('few answers');
    // The outreach list of the segment that fell, with its progress.
    const outreach = page.getByTestId('outreach');
    await outreach.waitFor();
    expect(await outreach.textContent()).toContain('Outreach for plan = smb');
    expect(await outreach.getByTestId('outreach-progress').textContent()).toBe('0 of 4 contacted, 0 resolved');
    expect(await outreach.locator('tbody tr').allTextContents()).toEqual([
      expect.stringContaining('Detractor'),
      expect.stringContaining('Detractor'),
      expect.stringContaining('Detractor'),
      expect.stringContaining('Segment outreach'),
    ]);

    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${resultsDir}dashboard.png`, fullPage: true });
    await drivers.screenshot({ path: `${resultsDir}dashboard-drivers.png` });
    await outreach.screenshot({ path: `${resultsDir}dashboard-outreach.png` });

    // A bar opens the feedback explorer on its topic's comments.
    await drivers.getByRole('link').first().click();
    const feedback = page.getByTestId('feedback');
    await feedback.locator('mark').first().waitFor();
    expect(await feedback.textContent()).toContain('Delivery was late again');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${resultsDir}dashboard-feedback.png`, fullPage: true });
    await page.goBack();
    await settled(page);

    // The CSAT survey, chosen in the survey filter: 60 % top-2-box of n = 5, with its Wilson interval.
    await page.getByTestId('survey').selectOption(csatSurvey);
    await page.getByTestId('csat-n').waitFor();
    expect(await page.getByTestId('csat-value').textContent()).toBe(en.metric('csat', expectedCsat.topTwoBox!.percent));
    expect(await page.getByTestId('csat-value').textContent()).toBe('60%');
    expect(await page.getByTestId('csat-n').textContent()).toBe('5 responses');
    expect(page.url()).toContain(`survey=${csatSurvey}`);
    await page.close();
  });

  it('switches every label and number format to Russian', async () => {
    const page = await newPage();
    await signIn(page, TEST_ADMIN_KEY, `#/?survey=${npsSurvey}`);
    await settled(page);
    await page.getByTestId('lang-ru').click();
    await page.getByRole('heading', { name: 'Динамика' }).waitFor();
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    expect(page.url()).toContain('lang=ru');
    expect(await page.getByTestId('nps-n').textContent()).toBe('10 ответов');
    expect(await page.getByTestId('nps-value').textContent()).toBe('20');
    expect(await page.getByLabel('Период', { exact: true }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Распределение оценок' }).count()).toBe(1);
    expect(await page.getByTestId('period-summary').textContent()).toMatch(/г\./);
    await expect.poll(() => paintedPixels(page, 'trend-chart')).toBeGreaterThan(500);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${resultsDir}dashboard-ru.png`, fullPage: true });
    await page.getByTestId('lang-en').click();
    await page.getByRole('heading', { name: 'Trend' }).waitFor();
    await page.close();
  });

  it('keeps the view in the URL hash, opens one case, and signs out', async () => {
    const page = await newPage();
    await signIn(page, TEST_ADMIN_KEY, `#/?survey=${npsSurvey}&period=7d&channel=web`);
    await settled(page);
    expect(await page.getByTestId('period').inputValue()).toBe('7d');
    expect(await page.getByTestId('channel').inputValue()).toBe('web');
    expect(await page.getByTestId('nps-n').textContent()).toBe('5 responses');
    expect(await page.locator('.trend-table tbody tr').count()).toBe(7);

    await page.getByTestId('interval').selectOption('week');
    await expect.poll(() => page.url()).toContain('interval=week');
    await page.reload();
    await settled(page);
    expect(await page.getByTestId('interval').inputValue()).toBe('week');
    expect(await page.getByTestId('nps-n').textContent()).toBe('5 responses');

    await page.getByTestId('cases-table').getByRole('link').first().click();
    await page.getByTestId('case-details').waitFor();
    expect(page.url()).toMatch(/#\/cases\/case_/);
    expect(await page.getByTestId('case-details').textContent()).toContain('Detractor');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: /Back to the dashboard/ }).click();
    await page.getByTestId('nps-value').waitFor();

    await page.getByTestId('sign-out').click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.close();
  });

  it('works with a read:metrics key: figures yes, survey list, comments and follow-ups no', async () => {
    const created = await system.api('/v1/api-keys', {
      method: 'POST',
      admin: true,
      json: { name: 'dashboard viewer', scopes: ['read:metrics'] },
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const page = await newPage();
    await signIn(page, key);
    await page.getByTestId('survey-id').fill(npsSurvey);
    await page.getByTestId('survey-id').press('Enter');
    await page.getByTestId('survey-id').blur();
    await page.getByTestId('nps-n').waitFor();
    expect(await page.getByTestId('nps-value').textContent()).toBe('20');
    expect(await page.getByTestId('alert').textContent()).toContain('read-only key');
    expect(await page.getByText('Follow-ups need the admin key.').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('made no request outside its origin, broke no CSP rule and threw nothing', () => {
    expect(foreignRequests).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

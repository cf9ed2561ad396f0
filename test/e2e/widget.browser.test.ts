import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signInvitation } from '../../services/collection/src/domain/invitations';
import { describeInBrowser, launchChromium, resultsDir, seriousViolations } from '../support/browser';
import { startTestRuntime, type TestRuntime } from '../support/runtime';

/** The form control focused inside the widget's shadow root (or the document), as `name=value`. */
function focused(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const outer = document.activeElement;
    const inner = (outer?.shadowRoot?.activeElement ?? outer) as HTMLInputElement | null;
    return inner && 'name' in inner ? `${inner.tagName.toLowerCase()}:${inner.name}=${inner.value}` : null;
  });
}

async function tabUntil(page: Page, wanted: (control: string | null) => boolean): Promise<string | null> {
  for (let presses = 0; presses < 20; presses++) {
    const control = await focused(page);
    if (wanted(control)) return control;
    await page.keyboard.press('Tab');
  }
  return focused(page);
}

describeInBrowser('the widget on the demo page, and the hosted survey page, in headless Chromium', () => {
  let system: TestRuntime;
  let browser: Browser;
  let surveyId: string;
  let identitySecret: string;

  beforeAll(async () => {
    [system, browser] = await Promise.all([startTestRuntime(), launchChromium()]);
    const created = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: {
        name: 'Checkout NPS',
        type: 'nps',
        allowedOrigins: [system.runtime.url],
        thankYou: { en: 'Thank you for your feedback!', ru: 'Спасибо за ваш отзыв!' },
        followUpQuestions: [
          {
            id: 'reason',
            type: 'single_choice',
            text: { en: 'What mattered most?', ru: 'Что было важнее всего?' },
            choices: [
              { id: 'speed', text: { en: 'Delivery speed', ru: 'Скорость доставки' } },
              { id: 'price', text: { en: 'Price', ru: 'Цена' } },
            ],
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    ({ id: surveyId, identitySecret } = (await created.json()) as { id: string; identitySecret: string });
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('serves the widget as a small, cacheable script', async () => {
    const script = await system.api('/widget.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('max-age');
    expect((await script.text()).length).toBeGreaterThan(1000);
    const again = await system.api('/widget.js', { headers: { 'if-none-match': script.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });

  it('answers the widget on the demo page by keyboard only, retrying a failed post with the same responseId', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 720 } });
    const pageErrors: Error[] = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    const posts: Array<{ responseId: string; score?: number; comment?: string }> = [];
    let dropped = false;
    await page.route('**/v1/surveys/*/responses', async (route) => {
      posts.push(route.request().postDataJSON());
      if (dropped) return route.continue();
      dropped = true;
      return route.abort('connectionreset');
    });

    await page.goto(`${system.runtime.url}/demo?survey=${surveyId}`);
    await page
      .getByRole('radiogroup', { name: 'How likely are you to recommend us to a friend or colleague?' })
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // The host page's own controls come first in the tab order: the widget takes no focus by itself.
    expect(await tabUntil(page, (control) => control?.startsWith('input:score') ?? false)).toBe('input:score=0');
    for (let step = 0; step < 9; step++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    expect(await focused(page)).toBe('input:score=9');
    const ring = await page.evaluate(() => {
      const input = document.querySelector('[data-cxloop]')?.shadowRoot?.activeElement as HTMLInputElement;
      const style = getComputedStyle(input.nextElementSibling as Element);
      return { checked: input.checked, outline: `${style.outlineStyle} ${style.outlineWidth}` };
    });
    expect(ring).toEqual({ checked: true, outline: 'solid 3px' });
    await page.screenshot({ path: `${resultsDir}widget.png` });

    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('textarea:comment=');
    await page.keyboard.type('Fast delivery, friendly courier');
    expect(await tabUntil(page, (control) => control?.startsWith('input:q-reason') ?? false)).toBe(
      'input:q-reason=speed',
    );
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Thank you for your feedback!' }).waitFor({ state: 'attached' });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();

    expect(pageErrors).toEqual([]);
    expect(new Set(posts.map((post) => post.responseId)).size).toBe(1);
    expect(posts.filter((post) => post.comment === undefined).length).toBe(2);
    expect(posts.at(-1)).toMatchObject({ score: 9, comment: 'Fast delivery, friendly courier' });

    await system.runtime.idle(30_000);
    const metrics = await system.api(`/v1/metrics?surveyId=${surveyId}`, { admin: true });
    expect(await metrics.json()).toMatchObject({ responses: 1, promoters: 1, passives: 0, detractors: 0, nps: 100 });
  });

  it('shows a survey just created through the API, with no allowed origins, on the demo page', async () => {
    const created = await system.api('/v1/surveys', {
      method: 'POST',
      admin: true,
      json: { name: 'Fresh NPS', type: 'nps' },
    });
    const { id, allowedOrigins } = (await created.json()) as { id: string; allowedOrigins: string[] };
    expect(allowedOrigins).toEqual([]);
    const page = await browser.newPage();
    await page.goto(`${system.runtime.url}/demo?survey=${id}`);
    await page
      .getByRole('radiogroup', { name: 'How likely are you to recommend us to a friend or colleague?' })
      .waitFor();
    expect(await tabUntil(page, (control) => control?.startsWith('input:score') ?? false)).toBe('input:score=0');
    for (let step = 0; step < 4; step++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('textarea:comment=');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Thank you' }).waitFor({ state: 'attached' });
    expect(await page.getByTestId('why').isHidden()).toBe(true);

    // The same browser again: the survey's throttle leaves it alone, and the page says so and how to change it.
    await page.reload();
    await page.getByTestId('why').waitFor();
    expect(await page.getByTestId('why').getAttribute('data-reason')).toBe('responded_recently');
    expect(await page.getByTestId('why').textContent()).toContain('"minDaysAfterResponse":0');
    await page.close();

    await system.runtime.idle(30_000);
    const metrics = await system.api(`/v1/metrics?surveyId=${id}`, { admin: true });
    expect(await metrics.json()).toMatchObject({ responses: 1, detractors: 1 });
  });

  it('says on the demo page why a paused or unknown survey shows nothing, and how to fix it', async () => {
    const created = await system.api('/v1/surveys', { method: 'POST', admin: true, json: { name: 'Paused NPS' } });
    const { id } = (await created.json()) as { id: string };
    const paused = await system.api(`/v1/surveys/${id}`, { method: 'PATCH', admin: true, json: { status: 'paused' } });
    expect(paused.status).toBe(200);
    const page = await browser.newPage();
    await page.goto(`${system.runtime.url}/demo?survey=${id}`);
    const why = page.getByRole('alert');
    await why.waitFor();
    expect(await why.textContent()).toContain('The survey is paused, so nobody is asked.');
    expect(await why.locator('code').textContent()).toBe(
      `curl -X PATCH ${system.runtime.url}/v1/surveys/${id} -H "Authorization: Bearer $KEY" -H 'content-type: application/json' -d '{"status":"active"}'`,
    );
    expect(await page.locator('[data-cxloop]').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${resultsDir}demo-paused.png` });

    await page.goto(`${system.runtime.url}/demo?survey=srv_missing&lang=ru`);
    await why.waitFor();
    expect(await why.getAttribute('data-reason')).toBe('survey_not_found');
    expect(await why.textContent()).toContain('Опроса srv_missing в этой установке нет.');
    await page.close();
  });

  it('serves the hosted page in Russian, enhanced by its script, and records its answer', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(`${system.runtime.url}/s/${surveyId}?lang=ru`);
    expect(await page.locator('h1').textContent()).toBe(
      'Насколько вероятно, что вы порекомендуете нас другу или коллеге?',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Отправить' }).click();
    await page.getByRole('alert').filter({ hasText: 'Пожалуйста, выберите оценку.' }).waitFor();
    expect(await focused(page)).toBe('input:score=0');
    for (let step = 0; step < 3; step++) await page.keyboard.press('ArrowRight');
    await page.getByLabel('Что больше всего повлияло на вашу оценку? (необязательно)').fill('Курьер опоздал');
    await page.screenshot({ path: `${resultsDir}hosted-page.png`, fullPage: true });
    await page.getByRole('button', { name: 'Отправить' }).click();
    await page.getByRole('status').filter({ hasText: 'Спасибо за ваш отзыв!' }).waitFor();
    expect(page.url()).toBe(`${system.runtime.url}/s/${surveyId}?lang=ru`);
    await page.close();
  });

  it('works as a plain form without JavaScript, with an invitation token naming the respondent', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const token = signInvitation(identitySecret, {
      surveyId,
      respondentId: 'customer-7',
      channel: 'email',
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    await page.goto(`${system.runtime.url}/s/${surveyId}?lang=en&t=${token}`);
    await page.locator('label[for=s10]').click();
    await page.getByRole('button', { name: 'Send' }).click();
    expect(await page.locator('h1').textContent()).toBe('Thank you for your feedback!');
    await context.close();

    const forged = await system.api(`/s/${surveyId}?t=${token.slice(0, -2)}xx`);
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('This survey link is not valid or has expired.');

    await system.runtime.idle(30_000);
    const metrics = await system.api(`/v1/metrics?surveyId=${surveyId}`, { admin: true });
    expect(await metrics.json()).toMatchObject({ responses: 3, promoters: 2, detractors: 1 });
  });
});

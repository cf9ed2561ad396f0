import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isOneClickBody, unsubscribePage, unsubscribePageLocale } from '../src/domain/unsubscribe-page';

describe('the one-click unsubscribe page', () => {
  it('asks first, in the language of the browser, with a button that posts the RFC 8058 body', () => {
    const page = unsubscribePage('confirm', 'ru');
    expect(page.statusCode).toBe(200);
    expect(page.html).toContain('<html lang="ru">');
    expect(page.html).toContain('<form method="post">');
    expect(page.html).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
    expect(page.html).toContain('<button type="submit">Отписаться</button>');
    expect(unsubscribePage('confirm', 'en').html).toContain('<button type="submit">Unsubscribe</button>');
  });

  it('confirms, or says a link is not valid (400) without saying why', () => {
    expect(unsubscribePage('done', 'en')).toMatchObject({ statusCode: 200 });
    expect(unsubscribePage('done', 'en').html).toContain('role="status"');
    const invalid = unsubscribePage('invalid', 'en');
    expect(invalid.statusCode).toBe(400);
    expect(invalid.html).toContain('role="alert"');
    expect(invalid.html).not.toMatch(/<form|signature|expired|token/i);
  });

  it('allows only its own style, no scripts, posts to itself only, and is never cached or framed', () => {
    const page = unsubscribePage('confirm', 'en');
    const style = /<style>(.*)<\/style>/.exec(page.html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(page.headers['content-security-policy']).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    );
    expect(page.html).not.toContain('<script');
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    });
  });

  it('escapes its copy', () => {
    // Every text node of the page goes through escapeHtml: no raw quote or angle bracket outside the markup.
    for (const state of ['confirm', 'done', 'invalid'] as const) {
      for (const locale of ['en', 'ru'] as const) {
        const text = unsubscribePage(state, locale)
          .html.replace(/<style>.*<\/style>/, '')
          .replace(/<[^>]*>/g, '');
        expect(text).not.toMatch(/[<>"]/);
      }
    }
  });

  it('picks the language from ?lang, then Accept-Language', () => {
    expect(unsubscribePageLocale('ru', 'en-US,en')).toBe('ru');
    expect(unsubscribePageLocale(undefined, 'ru-RU,ru;q=0.9,en;q=0.8')).toBe('ru');
    expect(unsubscribePageLocale(undefined, 'de-DE')).toBe('en');
    expect(unsubscribePageLocale(undefined, undefined)).toBe('en');
  });

  it('recognises the one-click body a mail client sends', () => {
    expect(isOneClickBody('List-Unsubscribe=One-Click')).toBe(true);
    expect(isOneClickBody('other=1&List-Unsubscribe=One-Click')).toBe(true);
    expect(isOneClickBody('')).toBe(false);
    expect(isOneClickBody('List-Unsubscribe=Yes')).toBe(false);
  });
});

import { sendWithRetry } from './submit';

/**
 * Progressive enhancement of the hosted survey page, which works as a plain form without it: the answer is sent in
 * the background with retries and the thank-you is announced in place. A refusal by the server (an invalid answer)
 * falls back to the plain form post, whose page shows the server's message.
 */
const form = document.querySelector<HTMLFormElement>('form[data-cx]');
const status = document.getElementById('cx-status');
const error = document.getElementById('cx-error');

if (form && status && error) {
  const button = form.querySelector('button');
  const text = form.dataset;
  let sending = false;
  form.addEventListener('change', () => {
    if (new FormData(form).get('score')) error.textContent = '';
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    const data = new FormData(form);
    if (!data.get('score')) {
      error.textContent = text.chooseScore ?? '';
      form.querySelector<HTMLInputElement>('input[name=score]')?.focus();
      return;
    }
    const body = new URLSearchParams();
    for (const [name, value] of data) if (typeof value === 'string') body.append(name, value);
    sending = true;
    const label = button?.textContent ?? '';
    if (button) button.textContent = text.sending ?? label;
    error.textContent = '';
    try {
      const response = await sendWithRetry(fetch, location.href, {
        method: 'POST',
        headers: { accept: 'application/json' },
        body,
      });
      if (response.ok) {
        const { thankYou } = (await response.json()) as { thankYou: string };
        form.remove();
        status.textContent = thankYou;
        return;
      }
      form.submit();
      return;
    } catch {
      error.textContent = text.failed ?? '';
    }
    sending = false;
    if (button) button.textContent = label;
  });
}

import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { HttpError } from '../src/errors';
import { type HttpEvent, isJsonMediaType, parseBody, requireContentType } from '../src/http';

const event = (contentType: string | undefined, body = '{"name":"NPS"}') =>
  ({ headers: contentType === undefined ? {} : { 'content-type': contentType }, body }) as unknown as HttpEvent;
const schema = z.object({ name: z.string() });

function failure(run: () => unknown): HttpError | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
}

describe('parseBody', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"'])(
    'reads a body sent as %s',
    (contentType) => {
      expect(parseBody(event(contentType), schema)).toEqual({ name: 'NPS' });
    },
  );

  it.each([
    undefined,
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/jsonp',
    'application/json; charset=iso-8859-1',
  ])('answers 415 naming the expected type to a body sent as %s', (contentType) => {
    expect(failure(() => parseBody(event(contentType), schema))).toMatchObject({
      statusCode: 415,
      code: 'unsupported_media_type',
      message: 'Content-Type must be application/json',
      details: { expected: 'application/json' },
    });
  });
});

describe('requireContentType', () => {
  it('takes other media types, or a family of them', () => {
    const form = 'application/x-www-form-urlencoded';
    expect(failure(() => requireContentType(event(`${form};charset=UTF-8`), form))).toBeUndefined();
    expect(failure(() => requireContentType(event('multipart/form-data; boundary=x'), form))?.statusCode).toBe(415);
    const vendorJson = event('application/vnd.surveymonkey.response.v1+json');
    expect(failure(() => requireContentType(vendorJson, 'application/json', isJsonMediaType))).toBeUndefined();
    expect(failure(() => requireContentType(event('text/json'), 'application/json', isJsonMediaType))).toBeDefined();
  });
});

import { describe, expect, it } from 'vitest';
import { defineEnvironment, optional } from '../src/config';

const environment = defineEnvironment({
  TABLE_NAME: 'the table',
  EVENT_BUS_NAME: 'the bus',
  PUBLIC_API_URL: optional('links are left out'),
});

describe('defineEnvironment', () => {
  it('reads the declared variables, the optional ones when present', () => {
    expect(environment.read({ TABLE_NAME: 't', EVENT_BUS_NAME: 'b', OTHER: 'x' })).toEqual({
      TABLE_NAME: 't',
      EVENT_BUS_NAME: 'b',
    });
    expect(environment.read({ TABLE_NAME: 't', EVENT_BUS_NAME: 'b', PUBLIC_API_URL: 'https://api' })).toEqual({
      TABLE_NAME: 't',
      EVENT_BUS_NAME: 'b',
      PUBLIC_API_URL: 'https://api',
    });
  });

  it('fails fast naming every missing required variable, an empty one included', () => {
    expect(() => environment.read({ EVENT_BUS_NAME: 'b' })).toThrow('Missing required environment variable TABLE_NAME');
    expect(() => environment.read({ TABLE_NAME: '' })).toThrow(
      'Missing required environment variables TABLE_NAME, EVENT_BUS_NAME',
    );
  });

  it('tells infra which required variables an environment lacks', () => {
    expect(environment.missingFrom({ TABLE_NAME: 't' })).toEqual(['EVENT_BUS_NAME']);
    expect(environment.missingFrom({ TABLE_NAME: 't', EVENT_BUS_NAME: 'b' })).toEqual([]);
  });
});

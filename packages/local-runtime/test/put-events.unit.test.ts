import { describe, expect, it } from 'vitest';
import { AwsError } from '../src/aws-api/aws-error';
import { buildEvent, validatePutEventsRequest } from '../src/events/put-events';

const context = { account: '000000000000', region: 'us-east-1', now: new Date('2030-01-02T03:04:05.678Z') };

describe('buildEvent', () => {
  it('fills in the real event shape', () => {
    const built = buildEvent(
      {
        Source: 'app',
        DetailType: 'Thing',
        Detail: '{"a":1}',
        EventBusName: 'arn:aws:events:us-east-1:0:event-bus/bus',
      },
      context,
    );
    expect(built).toEqual({
      busName: 'bus',
      event: {
        version: '0',
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        'detail-type': 'Thing',
        source: 'app',
        account: '000000000000',
        time: '2030-01-02T03:04:05Z',
        region: 'us-east-1',
        resources: [],
        detail: { a: 1 },
      },
    });
  });

  it('uses the entry Time (epoch seconds) and the default bus', () => {
    const built = buildEvent({ Source: 's', DetailType: 'd', Detail: '{}', Time: 1_900_000_000 }, context);
    expect(built).toMatchObject({ busName: 'default', event: { time: '2030-03-17T17:46:40Z' } });
  });

  it('reports entry errors as EventBridge does', () => {
    expect(buildEvent({ DetailType: 'd', Detail: '{}' }, context)).toEqual({
      error: {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      },
    });
    for (const Detail of ['not json', '[1]', '"text"', 'null']) {
      expect(buildEvent({ Source: 's', DetailType: 'd', Detail }, context)).toEqual({
        error: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      });
    }
  });
});

describe('validatePutEventsRequest', () => {
  it('accepts 1 to 10 entries within 256 KB', () => {
    expect(() => validatePutEventsRequest([{ Source: 's' }])).not.toThrow();
    expect(() => validatePutEventsRequest([])).toThrow(AwsError);
    expect(() => validatePutEventsRequest(Array.from({ length: 11 }, () => ({})))).toThrow(/less than or equal to 10/);
    expect(() => validatePutEventsRequest([{ Detail: 'x'.repeat(256 * 1024) }, { Source: 's' }])).toThrow(
      /over the limit/,
    );
  });
});

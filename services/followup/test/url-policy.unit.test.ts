import { parseOrBadRequest, toHttpError } from '@cxloop/lambda-kit';
import { describe, expect, it } from 'vitest';
import { rulesSchema } from '../src/domain/rules';
import {
  addressRefusal,
  checkOutboundUrl,
  httpsLinkSchema,
  nonPublicAddressKind,
  type OutboundTarget,
  outboundUrlPolicyOf,
} from '../src/domain/url-policy';

const aws = { allowLoopbackHttp: false };
const localRuntime = { allowLoopbackHttp: true };

const reasonOf = (url: string, policy = aws) => {
  const checked = checkOutboundUrl(url, policy);
  return checked.ok ? undefined : checked.reason;
};

describe('outboundUrlPolicyOf', () => {
  it('allows plain HTTP to loopback only when the local runtime says so', () => {
    expect(outboundUrlPolicyOf({ CXLOOP_OUTBOUND_LOOPBACK_HTTP: 'allow' })).toEqual(localRuntime);
    expect(outboundUrlPolicyOf({})).toEqual(aws);
    expect(outboundUrlPolicyOf({ CXLOOP_OUTBOUND_LOOPBACK_HTTP: '1' })).toEqual(aws);
  });
});

describe('checkOutboundUrl', () => {
  it('takes an https URL with a host name', () => {
    expect(checkOutboundUrl('https://hooks.slack.com/services/T0/B0/x', aws)).toMatchObject({
      ok: true,
      target: { host: 'hooks.slack.com', ipLiteral: undefined, loopback: false },
    });
  });

  it('refuses IP literals however they are spelled, once the URL parser has normalised them', () => {
    expect(reasonOf('https://127.0.0.1/')).toBe('must name a host, not an IP address (127.0.0.1)');
    expect(reasonOf('https://2130706433/')).toBe('must name a host, not an IP address (127.0.0.1)');
    expect(reasonOf('https://0x7f.1/')).toBe('must name a host, not an IP address (127.0.0.1)');
    expect(reasonOf('https://017700000001/')).toBe('must name a host, not an IP address (127.0.0.1)');
    expect(reasonOf('https://%31%32%37.0.0.1/')).toBe('must name a host, not an IP address (127.0.0.1)');
    expect(reasonOf('https://[::1]/')).toBe('must name a host, not an IP address (::1)');
    expect(reasonOf('https://[::ffff:127.0.0.1]/')).toBe('must name a host, not an IP address (::ffff:7f00:1)');
    expect(reasonOf('https://8.8.8.8/')).toBe('must name a host, not an IP address (8.8.8.8)');
  });

  it('refuses other schemes, credentials and names that cannot be public', () => {
    expect(reasonOf('http://169.254.169.254/latest/meta-data/')).toBe('must be an https:// URL');
    expect(reasonOf('http://hooks.slack.com/x')).toBe('must be an https:// URL');
    expect(reasonOf('javascript:alert(1)')).toBe('must be an https:// URL');
    expect(reasonOf('nonsense')).toBe('must be an https:// URL');
    expect(reasonOf('https://user:secret@example.com/')).toBe('must not contain credentials');
    expect(reasonOf('https://localhost/')).toBe('must name a public host (localhost)');
    expect(reasonOf('https://LOCALHOST./')).toBe('must name a public host (localhost)');
    expect(reasonOf('https://api.localhost/')).toBe('must name a public host (api.localhost)');
    expect(reasonOf('https://metadata/')).toBe('must name a public host (metadata)');
  });

  it('on the local runtime, also takes http and https to loopback names and addresses', () => {
    for (const url of [
      'http://127.0.0.1:8080/x',
      'http://127.0.0.2/x',
      'http://localhost:3000/x',
      'http://[::1]:80/',
    ]) {
      expect(checkOutboundUrl(url, localRuntime), url).toMatchObject({ ok: true, target: { loopback: true } });
    }
    expect(reasonOf('http://10.0.0.1/', localRuntime)).toBe('must be an https:// URL');
    expect(reasonOf('https://10.0.0.1/', localRuntime)).toBe('must name a host, not an IP address (10.0.0.1)');
    expect(reasonOf('http://localhost.example.com/', localRuntime)).toBe('must be an https:// URL');
  });
});

describe('nonPublicAddressKind', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['10.0.0.1', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.254', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['169.254.169.254', 'a link-local address'],
    ['0.0.0.0', 'an unspecified address'],
    ['255.255.255.255', 'a broadcast address'],
    ['224.0.0.1', 'a multicast address'],
    ['192.0.2.10', 'a reserved address'],
    ['198.18.0.1', 'a reserved address'],
    ['203.0.113.7', 'a reserved address'],
    ['240.0.0.1', 'a reserved address'],
    ['::1', 'a loopback address'],
    ['::', 'an unspecified address'],
    ['fe80::1', 'a link-local address'],
    ['fc00::1', 'a private address'],
    ['fd12:3456::1', 'a private address'],
    ['ff02::1', 'a multicast address'],
    ['2001:db8::1', 'a reserved address'],
    ['::ffff:10.0.0.1', 'a private address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['::ffff:0:a9fe:a9fe', 'a link-local address'],
    ['64:ff9b::a00:1', 'a private address'],
    ['64:ff9b:1::1', 'a reserved address'],
    ['::7f00:1', 'a reserved address'],
    ['2002:a00:1::1', 'an IPv6 tunnel address'],
    ['2001::1', 'an IPv6 tunnel address'],
    ['not-an-ip', 'not an IP address'],
  ])('%s is %s', (address, kind) => {
    expect(nonPublicAddressKind(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    '%s is public',
    (address) => {
      expect(nonPublicAddressKind(address)).toBeUndefined();
    },
  );
});

describe('addressRefusal', () => {
  const target = (host: string, loopback = false): OutboundTarget => ({
    url: new URL(`https://${host}/`),
    host,
    ipLiteral: undefined,
    loopback,
  });

  it('refuses a name when any of its addresses is not public', () => {
    expect(addressRefusal(target('crm.example.com'), ['93.184.216.34', '10.0.0.1'])).toBe(
      'crm.example.com resolves to a private address (10.0.0.1)',
    );
    expect(addressRefusal(target('crm.example.com'), ['93.184.216.34', '2606:2800:220:1::1'])).toBeUndefined();
    expect(addressRefusal(target('crm.example.com'), [])).toBe('crm.example.com resolves to no address');
  });

  it('lets a loopback URL of the local runtime reach loopback addresses only', () => {
    expect(addressRefusal(target('localhost', true), ['127.0.0.1', '::1'])).toBeUndefined();
    expect(addressRefusal(target('localhost', true), ['127.0.0.1', '10.0.0.1'])).toBe(
      'localhost resolves to a non-loopback address (10.0.0.1)',
    );
  });
});

describe('links shown to people (reviewUrl)', () => {
  it('are https only, without credentials', () => {
    expect(httpsLinkSchema.safeParse('https://reviews.example.com/acme?lang=ru').success).toBe(true);
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'http://reviews.example.com/acme',
      'https://user:pass@reviews.example.com/',
    ]) {
      expect(httpsLinkSchema.safeParse(url).success, url).toBe(false);
    }
  });

  it("are checked in a rule's invite_review action: PUT /v1/followup-rules answers 400 naming the field", () => {
    const rules = (reviewUrl: string) => [
      {
        id: 'promoters',
        name: 'Promoters',
        when: [{ scoreCategories: ['promoter'] }],
        actions: [{ type: 'invite_review', template: 'thank_you_review', reviewUrl }],
      },
    ];
    expect(parseOrBadRequest(rulesSchema, rules('https://reviews.example.com/acme'), 'body.rules')).toHaveLength(1);
    const refused = (() => {
      try {
        parseOrBadRequest(rulesSchema, rules('javascript:alert(1)'), 'body.rules');
      } catch (error) {
        return toHttpError(error, []);
      }
    })();
    expect(refused).toMatchObject({
      statusCode: 400,
      message: 'body.rules.0.actions.0.reviewUrl: must be an https:// URL',
    });
  });
});

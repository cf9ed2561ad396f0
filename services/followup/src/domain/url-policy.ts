import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import * as z from 'zod';

/**
 * The one policy for every URL the follow-up service calls (Slack incoming webhooks, Standard Webhooks endpoints,
 * Zendesk), applied when channel settings are saved and again at send time, where the host name is resolved and the
 * connection may only go to the addresses checked here:
 * - https only, no credentials in the URL, a host name rather than an IP literal (the URL parser has already turned
 *   odd forms such as `https://2130706433/` or `https://0x7f.1/` into `127.0.0.1`);
 * - every address the name resolves to must be public unicast: loopback (the Lambda Runtime API listens on
 *   127.0.0.1:9001), link-local (the instance metadata endpoint 169.254.169.254), private, carrier-grade NAT,
 *   documentation, benchmarking, multicast and the IPv4-mapped or -translated forms of those are refused.
 *
 * The local runtime sets `CXLOOP_OUTBOUND_LOOPBACK_HTTP=allow` in every function it runs, so that messages can go to a
 * listener on `http://127.0.0.1:…` or `http://localhost:…` during development and in the e2e tests; Lambda never
 * has that variable, so in AWS the policy is strict.
 */
export interface OutboundUrlPolicy {
  allowLoopbackHttp: boolean;
}

export const LOOPBACK_HTTP_VARIABLE = 'CXLOOP_OUTBOUND_LOOPBACK_HTTP';

export function outboundUrlPolicyOf(env: Readonly<Record<string, string | undefined>>): OutboundUrlPolicy {
  return { allowLoopbackHttp: env[LOOPBACK_HTTP_VARIABLE] === 'allow' };
}

/** A URL the policy lets the sender call: its host (brackets removed) and, for a loopback IP, that address. */
export interface OutboundTarget {
  url: URL;
  host: string;
  ipLiteral: string | undefined;
  /** A loopback URL the local runtime allows: every address it resolves to must be loopback too. */
  loopback: boolean;
}

export type OutboundUrlCheck = { ok: true; target: OutboundTarget } | { ok: false; reason: string };

const isLoopbackAddress = (address: string) => ipaddr.process(address).range() === 'loopback';

/** What the policy says about a URL before any name is resolved; `reason` completes "the URL …". */
export function checkOutboundUrl(value: string, policy: OutboundUrlPolicy): OutboundUrlCheck {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'must be an https:// URL' };
  }
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not contain credentials' };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const ipLiteral = isIP(host) === 0 ? undefined : host;
  const loopbackName = host === 'localhost' || (ipLiteral !== undefined && isLoopbackAddress(ipLiteral));
  if (policy.allowLoopbackHttp && loopbackName && (url.protocol === 'http:' || url.protocol === 'https:')) {
    return { ok: true, target: { url, host, ipLiteral, loopback: true } };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'must be an https:// URL' };
  if (ipLiteral !== undefined) return { ok: false, reason: `must name a host, not an IP address (${ipLiteral})` };
  const name = host.replace(/\.$/, '');
  if (!name.includes('.') || name === 'localhost' || name.endsWith('.localhost')) {
    return { ok: false, reason: `must name a public host (${name})` };
  }
  return { ok: true, target: { url, host, ipLiteral: undefined, loopback: false } };
}

const rangeDescriptions: Readonly<Record<string, string>> = {
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private address',
  uniqueLocal: 'a private address',
  deprecatedSiteLocal: 'a private address',
  '6to4': 'an IPv6 tunnel address',
  teredo: 'an IPv6 tunnel address',
};

const globalUnicastIpv6 = ipaddr.parseCIDR('2000::/3');
const wellKnownNat64 = ipaddr.parseCIDR('64:ff9b::/96');

/** The IPv4 address inside a NAT64 (RFC 6052 well-known prefix) or SIIT (RFC 6145) address. */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  if (!address.match(wellKnownNat64) && address.range() !== 'rfc6145') return undefined;
  const [high = 0, low = 0] = address.parts.slice(6);
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/**
 * What kind of non-public address this is ("a private address"), or undefined for a public unicast address. IPv4 is
 * public when ipaddr.js finds it in none of its special-purpose ranges; IPv6 must also be global unicast (2000::/3),
 * and a mapped or translated IPv6 address is judged by the IPv4 address inside it.
 */
export function nonPublicAddressKind(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv6') {
    const ipv6 = parsed as ipaddr.IPv6;
    const ipv4 = embeddedIpv4(ipv6);
    if (ipv4) return nonPublicAddressKind(ipv4.toString());
    const range = ipv6.range();
    if (range === 'unicast' && ipv6.match(globalUnicastIpv6)) return undefined;
    return rangeDescriptions[range] ?? 'a reserved address';
  }
  const range = parsed.range();
  return range === 'unicast' ? undefined : (rangeDescriptions[range] ?? 'a reserved address');
}

/** Why the sender may not connect to these addresses of a checked target, or undefined when it may. */
export function addressRefusal(target: OutboundTarget, addresses: readonly string[]): string | undefined {
  if (addresses.length === 0) return `${target.host} resolves to no address`;
  for (const address of addresses) {
    if (target.loopback) {
      if (!ipaddr.isValid(address) || !isLoopbackAddress(address)) {
        return `${target.host} resolves to a non-loopback address (${address})`;
      }
      continue;
    }
    const kind = nonPublicAddressKind(address);
    if (kind) return `${target.host} resolves to ${kind} (${address})`;
  }
  return undefined;
}

/** The sender refused a request before connecting: a permanent failure, never retried. */
export class OutboundRefusedError extends Error {
  override readonly name = 'OutboundRefusedError';
}

/** A URL the sender will call, validated by the policy (the message names what is wrong, never the URL). */
export function outboundUrlSchema(policy: OutboundUrlPolicy) {
  return z
    .string()
    .max(2048)
    .superRefine((value, context) => {
      const checked = checkOutboundUrl(value, policy);
      if (!checked.ok) context.addIssue({ code: 'custom', message: checked.reason });
    });
}

/** A link shown to people (review pages): https only, no credentials; `javascript:`, `data:` or `http:` are refused. */
export const httpsLinkSchema = z
  .url({ protocol: /^https$/, error: 'must be an https:// URL' })
  .max(2048)
  .refine(
    (value) => {
      const url = new URL(value);
      return url.username === '' && url.password === '';
    },
    { message: 'must not contain credentials' },
  );

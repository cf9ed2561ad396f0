/** An IPv4 (32-bit) or IPv6 (128-bit) address as one integer, so CIDR containment is a shift and a compare. */
export interface IpAddress {
  readonly width: 32 | 128;
  readonly value: bigint;
}

export interface CidrBlock {
  readonly width: 32 | 128;
  readonly prefixLength: number;
  readonly network: bigint;
}

// The shapes Event Ruler admits before parsing: dotted decimal, or hex groups and colons (no zone id, no
// dotted IPv4 tail, no hostnames).
const IPV4_SHAPE = /^\d+\.\d+\.\d+\.\d+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]+$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

export function parseIpAddress(text: string): IpAddress | undefined {
  if (IPV4_SHAPE.test(text)) return parseIpv4(text);
  if (text.includes(':') && IPV6_SHAPE.test(text)) return parseIpv6(text);
  return undefined;
}

function parseIpv4(text: string): IpAddress | undefined {
  let value = 0n;
  // Octets are read as decimal even with leading zeros, as Java's InetAddress (behind Event Ruler) reads them.
  for (const octet of text.split('.')) {
    const byte = Number(octet);
    if (byte > 255) return undefined;
    value = (value << 8n) | BigInt(byte);
  }
  return { width: 32, value };
}

function parseIpv6(text: string): IpAddress | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  const groups = [...head, ...tail];
  if (!groups.every((group) => IPV6_GROUP.test(group))) return undefined;
  if (halves.length === 1 ? groups.length !== 8 : groups.length > 7) return undefined;
  const zeros = Array<string>(8 - groups.length).fill('0');
  let value = 0n;
  for (const group of [...head, ...zeros, ...tail]) value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  return { width: 128, value };
}

export function sameIpAddress(a: IpAddress, b: IpAddress): boolean {
  return a.width === b.width && a.value === b.value;
}

/** Parses `address/prefix`; returns the reason when EventBridge would reject it. */
export function parseCidr(text: string): CidrBlock | string {
  const parts = text.split('/');
  if (parts.length !== 2) return 'a CIDR needs exactly one "/"';
  const [addressText = '', prefixText = ''] = parts;
  if (!/^\d+$/.test(prefixText)) return 'the CIDR mask bits must be a non-negative integer';
  const address = parseIpAddress(addressText);
  if (address === undefined) return `"${addressText}" is not an IPv4 or IPv6 address`;
  const prefixLength = Number(prefixText);
  // Event Ruler refuses a full-length mask (/32, /128): a single address is written as a plain string instead.
  if (prefixLength >= address.width) return `IPv${address.width === 32 ? 4 : 6} mask bits must be < ${address.width}`;
  const hostBits = BigInt(address.width - prefixLength);
  return { width: address.width, prefixLength, network: (address.value >> hostBits) << hostBits };
}

export function cidrContains(block: CidrBlock, address: IpAddress): boolean {
  if (block.width !== address.width) return false;
  const hostBits = BigInt(block.width - block.prefixLength);
  return (address.value >> hostBits) << hostBits === block.network;
}

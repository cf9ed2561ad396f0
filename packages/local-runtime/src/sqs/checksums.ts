import { createHash } from 'node:crypto';

/** A message attribute as the SQS API carries it; binary values are base64 in the JSON protocol. */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/**
 * MD5OfMessageAttributes as SQS computes it: attributes sorted by name, each encoded as length-prefixed name, data
 * type, a transport byte (1 string, 2 binary) and length-prefixed value.
 */
export function md5OfMessageAttributes(attributes: Record<string, MessageAttributeValue>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const lengthPrefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of names) {
    const attribute = attributes[name] as MessageAttributeValue;
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(attribute.DataType, 'utf8'));
    const binary = attribute.BinaryValue !== undefined;
    hash.update(Buffer.from([binary ? 2 : 1]));
    lengthPrefixed(
      binary
        ? Buffer.from(attribute.BinaryValue as string, 'base64')
        : Buffer.from(attribute.StringValue ?? '', 'utf8'),
    );
  }
  return hash.digest('hex');
}

/** Size SQS counts against MaximumMessageSize: the body plus every attribute's name, type and value. */
export function messageSize(body: string, attributes: Record<string, MessageAttributeValue>): number {
  let size = Buffer.byteLength(body, 'utf8');
  for (const [name, attribute] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType);
    size +=
      attribute.BinaryValue !== undefined
        ? Buffer.from(attribute.BinaryValue, 'base64').length
        : Buffer.byteLength(attribute.StringValue ?? '');
  }
  return size;
}

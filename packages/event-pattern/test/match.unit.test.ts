import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileEventPattern, InvalidEventPatternError, matchesEventPattern, validateEventPattern } from '../src/index';

// Sources cited below:
// [operators] https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// [nulls]     https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
// [ruler]     https://github.com/aws/event-ruler README (the matching engine behind EventBridge)

/** The sample event of [operators] and [ruler]. */
const ec2Event = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

/** [ruler] "JSON Array Matching". */
const employeesEvent = {
  employees: [
    { firstName: 'John', lastName: 'Doe' },
    { firstName: 'Anna', lastName: 'Smith' },
    { firstName: 'Peter', lastName: 'Jones' },
  ],
};

const withDetail = (detail: Record<string, unknown>) => ({ ...ec2Event, detail });

interface MatchCase {
  name: string;
  pattern: unknown;
  event: unknown;
  expected: boolean;
}

const exactCases: MatchCase[] = [
  {
    name: '[ruler] simple matching: every named field matches one of its values',
    pattern: {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
      detail: { state: ['initializing', 'running'] },
    },
    event: ec2Event,
    expected: true,
  },
  { name: 'a different string', pattern: { source: ['aws.s3'] }, event: ec2Event, expected: false },
  { name: 'strings are case-sensitive', pattern: { source: ['AWS.EC2'] }, event: ec2Event, expected: false },
  { name: 'a field the event lacks', pattern: { detail: { owner: ['me'] } }, event: ec2Event, expected: false },
  {
    name: 'AND across fields: one failing field fails the pattern',
    pattern: { source: ['aws.ec2'], detail: { state: ['stopped'] } },
    event: ec2Event,
    expected: false,
  },
  {
    name: 'values in one list are OR-ed, operators included',
    pattern: { detail: { state: ['stopped', { prefix: 'run' }] } },
    event: ec2Event,
    expected: true,
  },
  { name: 'a number', pattern: { detail: { 'c-count': [5] } }, event: ec2Event, expected: true },
  { name: 'a decimal number', pattern: { detail: { 'x-limit': [301.8] } }, event: ec2Event, expected: true },
  {
    name: 'numbers compare by value (300 and 3.0e2)',
    pattern: JSON.parse('{ "n": [300] }'),
    event: JSON.parse('{ "n": 3.0e2 }'),
    expected: true,
  },
  { name: 'the string "5" does not match the number 5', pattern: { n: ['5'] }, event: { n: 5 }, expected: false },
  { name: 'the number 5 does not match the string "5"', pattern: { n: [5] }, event: { n: '5' }, expected: false },
  { name: 'booleans', pattern: { on: [true] }, event: { on: true }, expected: true },
  { name: 'true does not match "true"', pattern: { on: [true] }, event: { on: 'true' }, expected: false },
  { name: 'false does not match 0', pattern: { on: [false] }, event: { on: 0 }, expected: false },
  {
    name: 'an IP address written as a string matches another spelling of it',
    pattern: { ip: ['2001:db8::1'] },
    event: { ip: '2001:0DB8:0:0:0:0:0:1' },
    expected: true,
  },
  {
    name: 'a nested pattern does not match a scalar',
    pattern: { detail: { state: ['running'] } },
    event: { detail: 'running' },
    expected: false,
  },
  {
    name: 'a list of values does not match an object',
    pattern: { detail: ['running'] },
    event: ec2Event,
    expected: false,
  },
  { name: 'a non-object event matches nothing positive', pattern: { source: ['x'] }, event: 'x', expected: false },
];

const nullAndEmptyCases: MatchCase[] = [
  {
    name: '[nulls] null matches a JSON null',
    pattern: { detail: { responseElements: [null] } },
    event: withDetail({ eventVersion: '', responseElements: null }),
    expected: true,
  },
  {
    name: '[nulls] "" matches an empty string',
    pattern: { detail: { eventVersion: [''] } },
    event: withDetail({ eventVersion: '', responseElements: null }),
    expected: true,
  },
  {
    name: '[nulls] "" does not match null',
    pattern: { detail: { responseElements: [''] } },
    event: withDetail({ responseElements: null }),
    expected: false,
  },
  {
    name: 'null does not match an empty string',
    pattern: { detail: { eventVersion: [null] } },
    event: withDetail({ eventVersion: '' }),
    expected: false,
  },
  {
    name: 'null does not match a missing field',
    pattern: { detail: { responseElements: [null] } },
    event: withDetail({}),
    expected: false,
  },
];

const arrayCases: MatchCase[] = [
  {
    name: '[ruler] an event array matches when any element matches',
    pattern: { resources: ['arn:other', 'arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'] },
    event: ec2Event,
    expected: true,
  },
  { name: 'no element matches', pattern: { tags: ['c'] }, event: { tags: ['a', 'b'] }, expected: false },
  { name: 'arrays of arrays are searched', pattern: { tags: ['c'] }, event: { tags: [['a'], ['c']] }, expected: true },
  { name: 'an empty array has nothing to match', pattern: { tags: ['a'] }, event: { tags: [] }, expected: false },
  {
    name: '[ruler] objects inside an array are matched element by element',
    pattern: { employees: { firstName: ['Anna'] } },
    event: employeesEvent,
    expected: true,
  },
  {
    name: '[ruler] two fields must come from the same array element',
    pattern: { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
    event: employeesEvent,
    expected: false,
  },
  {
    name: 'two fields of the same array element',
    pattern: { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
    event: employeesEvent,
    expected: true,
  },
  {
    name: '[ruler] multi-level arrays of objects',
    pattern: { employees: { firstName: ['Peter'] } },
    event: { employees: [[{ firstName: 'John' }, { firstName: 'Anna' }], [{ firstName: 'Peter' }]] },
    expected: true,
  },
  {
    name: 'a numeric condition over an array of numbers',
    pattern: { scores: [{ numeric: ['<', 10] }] },
    event: { scores: [50, 7] },
    expected: true,
  },
];

const prefixSuffixCases: MatchCase[] = [
  {
    name: '[operators] prefix',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    event: ec2Event,
    expected: true,
  },
  { name: 'prefix mismatch', pattern: { time: [{ prefix: '2018' }] }, event: ec2Event, expected: false },
  { name: 'prefix is case-sensitive', pattern: { source: [{ prefix: 'AWS.' }] }, event: ec2Event, expected: false },
  { name: 'prefix never matches a number', pattern: { n: [{ prefix: '5' }] }, event: { n: 55 }, expected: false },
  { name: 'an empty prefix matches any string', pattern: { s: [{ prefix: '' }] }, event: { s: 'x' }, expected: true },
  {
    name: 'an empty prefix does not match null',
    pattern: { s: [{ prefix: '' }] },
    event: { s: null },
    expected: false,
  },
  {
    name: '[operators] prefix ignoring case',
    pattern: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] },
    event: { service: 'EventBridge' },
    expected: true,
  },
  {
    name: 'prefix ignoring case still needs the prefix',
    pattern: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] },
    event: { service: 'Bridge' },
    expected: false,
  },
  {
    name: '[operators] suffix',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: { FileName: 'cat.png' },
    expected: true,
  },
  {
    name: 'suffix is case-sensitive',
    pattern: { FileName: [{ suffix: '.png' }] },
    event: { FileName: 'cat.PNG' },
    expected: false,
  },
  {
    name: '[operators] suffix ignoring case',
    pattern: { service: [{ suffix: { 'equals-ignore-case': 'tBridge' } }] },
    event: { service: 'EVENTBRIDGE' },
    expected: true,
  },
];

const ignoreCaseCases: MatchCase[] = [
  {
    name: '[operators] equals-ignore-case',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    event: { Name: 'ALICE' },
    expected: true,
  },
  {
    name: 'equals-ignore-case is still whole-value equality',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    event: { Name: 'Alicia' },
    expected: false,
  },
  {
    name: 'equals-ignore-case only matches strings',
    pattern: { on: [{ 'equals-ignore-case': 'true' }] },
    event: { on: true },
    expected: false,
  },
  {
    name: 'each operand character may appear in either case, however long (ß as SS)',
    pattern: { street: [{ 'equals-ignore-case': 'straße' }] },
    event: { street: 'STRASSE' },
    expected: true,
  },
  {
    name: 'regular-expression characters in the operand are literal',
    pattern: { s: [{ 'equals-ignore-case': 'a.b' }] },
    event: { s: 'AxB' },
    expected: false,
  },
];

const anythingButCases: MatchCase[] = [
  {
    name: '[operators] anything-but a string',
    pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
    event: ec2Event,
    expected: true,
  },
  {
    name: 'anything-but the very value',
    pattern: { detail: { state: [{ 'anything-but': 'running' }] } },
    event: ec2Event,
    expected: false,
  },
  {
    name: '[ruler] anything-but a number',
    pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    event: ec2Event,
    expected: true,
  },
  {
    name: '[ruler] anything-but a list of strings',
    pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: withDetail({ state: 'stopped' }),
    expected: false,
  },
  {
    name: '[ruler] anything-but a list of numbers',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: ec2Event,
    expected: true,
  },
  {
    name: 'anything-but a list of numbers, value in the list',
    pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    event: withDetail({ 'x-limit': 200 }),
    expected: false,
  },
  {
    name: 'anything-but does not match a missing field',
    pattern: { detail: { owner: [{ 'anything-but': 'me' }] } },
    event: ec2Event,
    expected: false,
  },
  {
    name: 'anything-but over an array: one element outside the exclusions is enough',
    pattern: { tags: [{ 'anything-but': 'stopped' }] },
    event: { tags: ['stopped', 'running'] },
    expected: true,
  },
  {
    name: 'anything-but over an array of only excluded values',
    pattern: { tags: [{ 'anything-but': ['stopped', 'failed'] }] },
    event: { tags: ['stopped', 'failed'] },
    expected: false,
  },
  {
    name: 'a string exclusion does not exclude the same digits as a number',
    pattern: { n: [{ 'anything-but': '5' }] },
    event: { n: 5 },
    expected: true,
  },
  {
    name: 'a numeric exclusion does not exclude the same digits as a string',
    pattern: { n: [{ 'anything-but': [5] }] },
    event: { n: '5' },
    expected: true,
  },
  {
    name: 'anything-but matches null (a value that is not excluded)',
    pattern: { s: [{ 'anything-but': 'x' }] },
    event: { s: null },
    expected: true,
  },
  {
    name: '[operators] anything-but prefix',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: withDetail({ state: 'initializing' }),
    expected: false,
  },
  {
    name: 'anything-but prefix, other value',
    pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
    event: ec2Event,
    expected: true,
  },
  {
    name: 'anything-but a list of prefixes (CDK Match.anythingButPrefix)',
    pattern: { region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] },
    event: { region: 'eu-west-1' },
    expected: false,
  },
  {
    name: 'anything-but prefix matches a number',
    pattern: { n: [{ 'anything-but': { prefix: '5' } }] },
    event: { n: 55 },
    expected: true,
  },
  {
    name: '[operators] anything-but suffix',
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    event: { FileName: 'cat.png' },
    expected: false,
  },
  {
    name: 'anything-but suffix, other value',
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    event: { FileName: 'cat.txt' },
    expected: true,
  },
  {
    name: '[operators] anything-but equals-ignore-case',
    pattern: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    event: { state: 'INITIALIZING' },
    expected: false,
  },
  {
    name: 'anything-but equals-ignore-case list',
    pattern: { state: [{ 'anything-but': { 'equals-ignore-case': ['stopped', 'failed'] } }] },
    event: { state: 'Running' },
    expected: true,
  },
  {
    name: '[operators] anything-but wildcard',
    pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    event: { FilePath: '/usr/lib/libc.so' },
    expected: false,
  },
  {
    name: 'anything-but wildcard, other value',
    pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    event: { FilePath: '/usr/bin/env' },
    expected: true,
  },
];

const numericCases: MatchCase[] = [
  {
    name: '[ruler] numeric: every condition holds',
    pattern: {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    event: ec2Event,
    expected: true,
  },
  {
    name: '">" excludes the bound',
    pattern: { n: [{ numeric: ['>', 0, '<=', 5] }] },
    event: { n: 0 },
    expected: false,
  },
  {
    name: '"<=" includes the bound',
    pattern: { n: [{ numeric: ['>', 0, '<=', 5] }] },
    event: { n: 5 },
    expected: true,
  },
  {
    name: '">=" includes the bound',
    pattern: { n: [{ numeric: ['>=', 0, '<', 5] }] },
    event: { n: 0 },
    expected: true,
  },
  {
    name: '"<" excludes the bound',
    pattern: { n: [{ numeric: ['>=', 0, '<', 5] }] },
    event: { n: 5 },
    expected: false,
  },
  { name: 'above a range', pattern: { n: [{ numeric: ['>=', 0, '<', 5] }] }, event: { n: 7.5 }, expected: false },
  { name: 'negative decimals', pattern: { n: [{ numeric: ['<=', -1.5] }] }, event: { n: -2.25 }, expected: true },
  { name: '"=" compares by value', pattern: { n: [{ numeric: ['=', 300] }] }, event: { n: 3.0e2 }, expected: true },
  {
    name: 'numeric never matches a numeric string',
    pattern: { n: [{ numeric: ['>', 0] }] },
    event: { n: '5' },
    expected: false,
  },
  {
    name: 'numeric never matches a boolean',
    pattern: { n: [{ numeric: ['>', 0] }] },
    event: { n: true },
    expected: false,
  },
  { name: 'numeric on a missing field', pattern: { n: [{ numeric: ['>', 0] }] }, event: {}, expected: false },
];

const existsCases: MatchCase[] = [
  {
    name: '[operators] exists: true on a present field',
    pattern: { detail: { state: [{ exists: true }] } },
    event: ec2Event,
    expected: true,
  },
  {
    name: 'exists: true on a missing field',
    pattern: { detail: { state: [{ exists: true }] } },
    event: withDetail({ 'c-count': { c1: 100 } }),
    expected: false,
  },
  {
    name: '[ruler] exists: false on a missing field',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: withDetail({ state: 'running' }),
    expected: true,
  },
  {
    name: 'exists: false on a present field',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: ec2Event,
    expected: false,
  },
  {
    name: '[ruler] exists only sees leaves: an object-valued field counts as absent',
    pattern: { detail: { 'c-count': [{ exists: false }] } },
    event: withDetail({ 'c-count': { c1: 100 } }),
    expected: true,
  },
  {
    name: 'exists: true does not match an object-valued field',
    pattern: { detail: { 'c-count': [{ exists: true }] } },
    event: withDetail({ 'c-count': { c1: 100 } }),
    expected: false,
  },
  { name: 'null is a present leaf', pattern: { s: [{ exists: true }] }, event: { s: null }, expected: true },
  { name: 'null is not absent', pattern: { s: [{ exists: false }] }, event: { s: null }, expected: false },
  { name: 'an empty array has no leaf', pattern: { s: [{ exists: false }] }, event: { s: [] }, expected: true },
  {
    name: 'exists: false when the whole parent is missing',
    pattern: { detail: { owner: [{ exists: false }] } },
    event: { source: 'aws.ec2' },
    expected: true,
  },
  {
    name: 'exists: false when the parent is a string',
    pattern: { detail: { owner: [{ exists: false }] } },
    event: { detail: 'plain' },
    expected: true,
  },
  {
    name: 'exists: false OR a value: absent',
    pattern: { priority: ['high', { exists: false }] },
    event: {},
    expected: true,
  },
  {
    name: 'exists: false OR a value: the value',
    pattern: { priority: ['high', { exists: false }] },
    event: { priority: 'high' },
    expected: true,
  },
  {
    name: 'exists: false OR a value: another value',
    pattern: { priority: ['high', { exists: false }] },
    event: { priority: 'low' },
    expected: false,
  },
];

const wildcardCases: MatchCase[] = [
  {
    name: '[ruler] wildcard',
    pattern: { source: [{ wildcard: 'Simple*Service' }] },
    event: { source: 'SimpleNotificationService' },
    expected: true,
  },
  {
    name: 'a star may stand for nothing',
    pattern: { source: [{ wildcard: 'Simple*Service' }] },
    event: { source: 'SimpleService' },
    expected: true,
  },
  {
    name: 'wildcard is anchored at both ends',
    pattern: { source: [{ wildcard: 'Simple*Service' }] },
    event: { source: 'SimpleServices' },
    expected: false,
  },
  {
    name: '[operators] wildcard with several stars',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    event: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/cxloop' },
    expected: true,
  },
  {
    name: 'literals must appear in order',
    pattern: { p: [{ wildcard: '*b*a*' }] },
    event: { p: 'xaxbx' },
    expected: false,
  },
  { name: '\\* is a literal asterisk', pattern: { p: [{ wildcard: 'a\\*b' }] }, event: { p: 'a*b' }, expected: true },
  {
    name: '\\* does not match other text',
    pattern: { p: [{ wildcard: 'a\\*b' }] },
    event: { p: 'axb' },
    expected: false,
  },
  {
    name: '\\\\ is a literal backslash',
    pattern: { p: [{ wildcard: 'a\\\\b' }] },
    event: { p: 'a\\b' },
    expected: true,
  },
  {
    name: 'a lone star matches the empty string',
    pattern: { p: [{ wildcard: '*' }] },
    event: { p: '' },
    expected: true,
  },
  { name: 'wildcard only matches strings', pattern: { p: [{ wildcard: '*' }] }, event: { p: 5 }, expected: false },
  {
    name: 'a long near-miss stays fast',
    pattern: { p: [{ wildcard: '*a*a*a*a*a*a*a*b' }] },
    event: { p: 'a'.repeat(50_000) },
    expected: false,
  },
];

const cidrCases: MatchCase[] = [
  {
    name: '[operators] IPv4 CIDR, last address of the block',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: withDetail({ sourceIPAddress: '10.0.0.255' }),
    expected: true,
  },
  {
    name: 'IPv4 CIDR, outside the block',
    pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    event: withDetail({ sourceIPAddress: '10.0.1.0' }),
    expected: false,
  },
  {
    name: '[ruler] the sample event source-ip',
    pattern: { detail: { 'source-ip': [{ cidr: '10.0.0.0/8' }] } },
    event: ec2Event,
    expected: true,
  },
  {
    name: 'a base address with host bits set still means its block',
    pattern: { ip: [{ cidr: '10.0.0.7/24' }] },
    event: { ip: '10.0.0.1' },
    expected: true,
  },
  { name: 'IPv6 CIDR', pattern: { ip: [{ cidr: '2001:db8::/32' }] }, event: { ip: '2001:db8:1::1' }, expected: true },
  {
    name: 'IPv6 CIDR, outside the block',
    pattern: { ip: [{ cidr: '2001:db8::/32' }] },
    event: { ip: '2001:db9::1' },
    expected: false,
  },
  {
    name: 'an IPv4 address is never inside an IPv6 block',
    pattern: { ip: [{ cidr: '::/0' }] },
    event: { ip: '10.0.0.1' },
    expected: false,
  },
  { name: 'a non-address string', pattern: { ip: [{ cidr: '10.0.0.0/8' }] }, event: { ip: 'ten' }, expected: false },
  { name: 'a number is not an address', pattern: { ip: [{ cidr: '0.0.0.0/0' }] }, event: { ip: 1 }, expected: false },
];

const orCases: MatchCase[] = [
  {
    name: '[ruler] $or: source AND (metricName OR namespace), second branch',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    },
    event: { source: 'aws.cloudwatch', namespace: 'AWS/ES' },
    expected: true,
  },
  {
    name: '$or: no branch matches',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    },
    event: { source: 'aws.cloudwatch', namespace: 'AWS/S3' },
    expected: false,
  },
  {
    name: '$or does not lift the AND with its sibling fields',
    pattern: { source: ['aws.cloudwatch'], $or: [{ a: ['1'] }, { b: ['2'] }] },
    event: { source: 'aws.s3', a: '1' },
    expected: false,
  },
  {
    name: '[ruler] $or inside a nested object',
    pattern: {
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    },
    event: { detail: { 'detail-type': 'CloudWatch Alarm State Change' } },
    expected: true,
  },
  {
    name: '[ruler] nested $or inside an $or branch',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization'] },
        { namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
      ],
    },
    event: { source: 'aws.cloudwatch', namespace: 'AWS/EC2', spaceId: 1000 },
    expected: true,
  },
  {
    name: 'nested $or: inner branches all fail',
    pattern: {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization'] },
        { namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
      ],
    },
    event: { source: 'aws.cloudwatch', namespace: 'AWS/EC2', spaceId: 1 },
    expected: false,
  },
  {
    name: '$or branches with operators',
    pattern: { $or: [{ score: [{ numeric: ['<=', 6] }] }, { churnRisk: [{ exists: true }] }] },
    event: { score: 9, churnRisk: 'high' },
    expected: true,
  },
  {
    name: '$or inside an array element keeps array consistency',
    pattern: { employees: { firstName: ['Anna'], $or: [{ lastName: ['Jones'] }, { lastName: ['Doe'] }] } },
    event: employeesEvent,
    expected: false,
  },
];

const caseGroups: Record<string, MatchCase[]> = {
  'exact values': exactCases,
  'null and empty string': nullAndEmptyCases,
  arrays: arrayCases,
  'prefix and suffix': prefixSuffixCases,
  'equals-ignore-case': ignoreCaseCases,
  'anything-but': anythingButCases,
  numeric: numericCases,
  exists: existsCases,
  wildcard: wildcardCases,
  cidr: cidrCases,
  $or: orCases,
};

describe.each(Object.entries(caseGroups))('matchesEventPattern: %s', (_group, cases) => {
  it.each(cases)('$name', ({ pattern, event, expected }) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });
});

interface InvalidCase {
  name: string;
  pattern: unknown;
  path: string;
}

const invalidCases: InvalidCase[] = [
  { name: 'a string instead of an object', pattern: 'aws.ec2', path: '$' },
  { name: 'null', pattern: null, path: '$' },
  { name: 'an array', pattern: [{ source: ['aws.ec2'] }], path: '$' },
  { name: 'an empty pattern', pattern: {}, path: '$' },
  { name: 'a leaf that is not an array', pattern: { source: 'aws.ec2' }, path: '$.source' },
  { name: 'a leaf that is a number', pattern: { detail: { n: 5 } }, path: '$.detail.n' },
  { name: 'an empty nested object', pattern: { detail: {} }, path: '$.detail' },
  { name: 'an empty list of values', pattern: { source: [] }, path: '$.source' },
  { name: 'a list inside the list of values', pattern: { source: [['a']] }, path: '$.source[0]' },
  { name: 'a non-finite number', pattern: { n: [Number.NaN] }, path: '$.n[0]' },
  { name: 'an unknown operator', pattern: { source: [{ contains: 'ec2' }] }, path: '$.source[0].contains' },
  { name: 'an empty operator object', pattern: { source: [{}] }, path: '$.source[0]' },
  { name: 'two operators in one object', pattern: { s: [{ prefix: 'a', suffix: 'b' }] }, path: '$.s[0]' },
  { name: 'a prefix that is not a string', pattern: { s: [{ prefix: 5 }] }, path: '$.s[0].prefix' },
  {
    name: 'a prefix with an unsupported inner operator',
    pattern: { s: [{ prefix: { wildcard: 'a*' } }] },
    path: '$.s[0].prefix',
  },
  {
    name: 'a prefix ignoring case of a number',
    pattern: { s: [{ prefix: { 'equals-ignore-case': 5 } }] },
    path: '$.s[0].prefix["equals-ignore-case"]',
  },
  { name: 'a suffix that is null', pattern: { s: [{ suffix: null }] }, path: '$.s[0].suffix' },
  {
    name: 'equals-ignore-case of a number',
    pattern: { s: [{ 'equals-ignore-case': 1 }] },
    path: '$.s[0]["equals-ignore-case"]',
  },
  { name: 'numeric that is not an array', pattern: { n: [{ numeric: 5 }] }, path: '$.n[0].numeric' },
  { name: 'numeric with an empty array', pattern: { n: [{ numeric: [] }] }, path: '$.n[0].numeric' },
  { name: 'numeric with a string bound', pattern: { n: [{ numeric: ['<', '10'] }] }, path: '$.n[0].numeric[1]' },
  { name: 'numeric with a missing bound', pattern: { n: [{ numeric: ['<'] }] }, path: '$.n[0].numeric[1]' },
  { name: 'numeric with an unknown comparison', pattern: { n: [{ numeric: ['!=', 1] }] }, path: '$.n[0].numeric[0]' },
  {
    name: 'numeric range written upper bound first',
    pattern: { n: [{ numeric: ['<', 10, '>', 0] }] },
    path: '$.n[0].numeric[2]',
  },
  {
    name: 'numeric range with two lower bounds',
    pattern: { n: [{ numeric: ['>', 0, '>=', 5] }] },
    path: '$.n[0].numeric[2]',
  },
  {
    name: 'numeric range missing its upper bound',
    pattern: { n: [{ numeric: ['>', 0, '<'] }] },
    path: '$.n[0].numeric',
  },
  { name: 'numeric range that is empty', pattern: { n: [{ numeric: ['>=', 5, '<=', 5] }] }, path: '$.n[0].numeric' },
  {
    name: 'numeric with too many terms',
    pattern: { n: [{ numeric: ['>', 0, '<', 5, '<', 6] }] },
    path: '$.n[0].numeric',
  },
  { name: 'exists with a string', pattern: { s: [{ exists: 'true' }] }, path: '$.s[0].exists' },
  { name: 'cidr without a mask', pattern: { ip: [{ cidr: '10.0.0.1' }] }, path: '$.ip[0].cidr' },
  { name: 'cidr with a non-numeric mask', pattern: { ip: [{ cidr: '10.0.0.0/abc' }] }, path: '$.ip[0].cidr' },
  { name: 'cidr with a full-length IPv4 mask', pattern: { ip: [{ cidr: '10.0.0.1/32' }] }, path: '$.ip[0].cidr' },
  { name: 'cidr with an IPv6 mask over 127', pattern: { ip: [{ cidr: '2001:db8::/128' }] }, path: '$.ip[0].cidr' },
  { name: 'cidr with an octet over 255', pattern: { ip: [{ cidr: '300.0.0.0/8' }] }, path: '$.ip[0].cidr' },
  { name: 'cidr with a malformed IPv6 address', pattern: { ip: [{ cidr: '2001:::1/64' }] }, path: '$.ip[0].cidr' },
  { name: 'cidr with a hostname', pattern: { ip: [{ cidr: 'example.com/8' }] }, path: '$.ip[0].cidr' },
  { name: 'cidr that is not a string', pattern: { ip: [{ cidr: 10 }] }, path: '$.ip[0].cidr' },
  { name: 'wildcard with consecutive stars', pattern: { p: [{ wildcard: 'a**b' }] }, path: '$.p[0].wildcard' },
  { name: 'wildcard escaping a letter', pattern: { p: [{ wildcard: 'a\\b' }] }, path: '$.p[0].wildcard' },
  { name: 'wildcard ending in a backslash', pattern: { p: [{ wildcard: 'a\\' }] }, path: '$.p[0].wildcard' },
  { name: 'anything-but with null', pattern: { s: [{ 'anything-but': null }] }, path: '$.s[0]["anything-but"]' },
  { name: 'anything-but with a boolean', pattern: { s: [{ 'anything-but': true }] }, path: '$.s[0]["anything-but"]' },
  { name: 'anything-but with an empty list', pattern: { s: [{ 'anything-but': [] }] }, path: '$.s[0]["anything-but"]' },
  {
    name: 'anything-but mixing strings and numbers',
    pattern: { s: [{ 'anything-but': ['a', 1] }] },
    path: '$.s[0]["anything-but"]',
  },
  {
    name: 'anything-but with null in its list',
    pattern: { s: [{ 'anything-but': ['a', null] }] },
    path: '$.s[0]["anything-but"][1]',
  },
  {
    name: 'anything-but with an unsupported inner operator',
    pattern: { s: [{ 'anything-but': { numeric: ['>', 1] } }] },
    path: '$.s[0]["anything-but"]',
  },
  {
    name: 'anything-but with two inner operators',
    pattern: { s: [{ 'anything-but': { prefix: 'a', suffix: 'b' } }] },
    path: '$.s[0]["anything-but"]',
  },
  {
    name: 'anything-but with an empty prefix',
    pattern: { s: [{ 'anything-but': { prefix: '' } }] },
    path: '$.s[0]["anything-but"].prefix',
  },
  {
    name: 'anything-but with a numeric suffix in a list',
    pattern: { s: [{ 'anything-but': { suffix: ['.png', 5] } }] },
    path: '$.s[0]["anything-but"].suffix[1]',
  },
  {
    name: 'anything-but with an empty list of prefixes',
    pattern: { s: [{ 'anything-but': { prefix: [] } }] },
    path: '$.s[0]["anything-but"].prefix',
  },
  {
    name: 'anything-but with an invalid wildcard',
    pattern: { s: [{ 'anything-but': { wildcard: '**' } }] },
    path: '$.s[0]["anything-but"].wildcard',
  },
  { name: '$or that is not an array', pattern: { $or: { a: ['1'] } }, path: '$.$or' },
  { name: '$or with a single branch', pattern: { $or: [{ a: ['1'] }] }, path: '$.$or' },
  { name: '$or with a non-object branch', pattern: { $or: [{ a: ['1'] }, ['b']] }, path: '$.$or[1]' },
  { name: '$or with an empty branch', pattern: { $or: [{ a: ['1'] }, {}] }, path: '$.$or[1]' },
  {
    name: 'an operator name used as a field inside $or',
    pattern: { $or: [{ prefix: ['a'] }, { b: ['c'] }] },
    path: '$.$or[0].prefix',
  },
  {
    name: 'an invalid leaf deep inside $or',
    pattern: { detail: { $or: [{ a: ['1'] }, { b: { c: 'd' } }] } },
    path: '$.detail.$or[1].b.c',
  },
];

describe('validateEventPattern', () => {
  it.each(invalidCases)('rejects $name, naming $path', ({ pattern, path }) => {
    const error = catchError(() => validateEventPattern(pattern));
    expect(error).toBeInstanceOf(InvalidEventPatternError);
    expect((error as InvalidEventPatternError).path).toBe(path);
    expect((error as InvalidEventPatternError).message).toContain(path);
  });

  it('matching with an invalid pattern throws rather than answering', () => {
    expect(() => matchesEventPattern({ source: 'aws.ec2' }, ec2Event)).toThrow(InvalidEventPatternError);
  });

  it('accepts every pattern the matching table uses', () => {
    for (const { pattern } of Object.values(caseGroups).flat())
      expect(() => validateEventPattern(pattern)).not.toThrow();
  });

  it('compiles a pattern object once and reuses it', () => {
    const pattern = { source: ['aws.ec2'] };
    expect(compileEventPattern(pattern)).toBe(compileEventPattern(pattern));
  });
});

function catchError(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** The pattern asking for exactly the leaves of `value` (one per field), or undefined when there is none. */
function exactPatternFor(value: Record<string, unknown>): Record<string, unknown> | undefined {
  const pattern: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (key === '$or') continue;
    if (Array.isArray(field)) {
      const leaf = field.flat(Number.POSITIVE_INFINITY).find((item) => item === null || typeof item !== 'object');
      if (leaf !== undefined) pattern[key] = [leaf];
    } else if (typeof field === 'object' && field !== null) {
      const nested = exactPatternFor(field as Record<string, unknown>);
      if (nested !== undefined) pattern[key] = nested;
    } else {
      pattern[key] = [field];
    }
  }
  return Object.keys(pattern).length > 0 ? pattern : undefined;
}

const jsonObject = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1 });

describe('properties', () => {
  it('an exact pattern built from an event matches that event', () => {
    fc.assert(
      fc.property(jsonObject, (event) => {
        const pattern = exactPatternFor(event);
        fc.pre(pattern !== undefined);
        expect(matchesEventPattern(pattern, event)).toBe(true);
      }),
    );
  });

  it('a value and anything-but that value never both match', () => {
    const excluded = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    const leaf = fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
    fc.assert(
      fc.property(excluded, leaf, fc.boolean(), (value, other, same) => {
        const event = { f: same ? value : other };
        const exact = matchesEventPattern({ f: [value] }, event);
        expect(matchesEventPattern({ f: [{ 'anything-but': value }] }, event)).toBe(!exact);
      }),
    );
  });

  it('numeric comparisons agree with JavaScript comparison of numbers', () => {
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(finite, finite, (bound, value) => {
        const event = { n: value };
        expect(matchesEventPattern({ n: [{ numeric: ['<', bound] }] }, event)).toBe(value < bound);
        expect(matchesEventPattern({ n: [{ numeric: ['=', bound] }] }, event)).toBe(value === bound);
        expect(matchesEventPattern({ n: [{ numeric: ['>=', bound] }] }, event)).toBe(value >= bound);
      }),
    );
  });

  it('wildcards around a literal mean contains, starts with and ends with', () => {
    const literal = fc.string({ minLength: 1 }).filter((text) => !/[*\\]/.test(text));
    fc.assert(
      fc.property(literal, fc.string(), (text, value) => {
        const event = { s: value };
        expect(matchesEventPattern({ s: [{ wildcard: text }] }, event)).toBe(value === text);
        expect(matchesEventPattern({ s: [{ wildcard: `*${text}*` }] }, event)).toBe(value.includes(text));
        expect(matchesEventPattern({ s: [{ wildcard: `${text}*` }] }, event)).toBe(value.startsWith(text));
        expect(matchesEventPattern({ s: [{ wildcard: `*${text}` }] }, event)).toBe(value.endsWith(text));
      }),
    );
  });

  it('equals-ignore-case matches the operand in upper and lower case', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const pattern = { s: [{ 'equals-ignore-case': text }] };
        expect(matchesEventPattern(pattern, { s: text.toUpperCase() })).toBe(true);
        expect(matchesEventPattern(pattern, { s: text.toLowerCase() })).toBe(true);
      }),
    );
  });

  it('an IPv4 address is inside exactly the blocks that share its leading bits', () => {
    const octets = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
    fc.assert(
      fc.property(octets, octets, fc.integer({ min: 0, max: 31 }), (base, address, prefixLength) => {
        const toInt = (parts: number[]) => parts.reduce((sum, part) => sum * 256 + part, 0);
        const hostBits = 2 ** (32 - prefixLength);
        const sameBlock = Math.floor(toInt(base) / hostBits) === Math.floor(toInt(address) / hostBits);
        const pattern = { ip: [{ cidr: `${base.join('.')}/${prefixLength}` }] };
        expect(matchesEventPattern(pattern, { ip: address.join('.') })).toBe(sameBlock);
      }),
    );
  });
});

import type { FunctionDefinition } from '../template/resources/functions';

export type LoggingConfig = Pick<
  FunctionDefinition,
  'logFormat' | 'applicationLogLevel' | 'systemLogLevel' | 'tracing'
>;

const levels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const rank = (level: string | undefined) => levels.indexOf((level ?? 'INFO').toUpperCase());

/**
 * Whether Lambda sends a line the function printed to CloudWatch Logs: with the JSON format and an application log
 * level, a line whose `level` is lower is dropped (a line without one, an EMF record for instance, counts as INFO).
 */
export function isIngested(config: LoggingConfig, line: string): boolean {
  if (config.logFormat !== 'JSON' || !config.applicationLogLevel) return true;
  let level = 'INFO';
  if (line.startsWith('{')) {
    try {
      const parsed = JSON.parse(line) as { level?: unknown };
      if (typeof parsed.level === 'string' && rank(parsed.level) >= 0) level = parsed.level;
    } catch {}
  }
  return rank(level) >= rank(config.applicationLogLevel);
}

const requestId = '6f1f3c2e-8b1d-4a7e-9c55-0d2b7f3e9a41';
const time = '2026-12-07T10:15:30.123Z';
const traceValue = 'Root=1-6757f1a2-3b9f0c1d2e4a5b6c7d8e9f01;Parent=53995c3f42cd8ad8;Sampled=1';

/**
 * The bytes of the lines Lambda itself writes for one invocation: START, END and REPORT in the Text format; the
 * `platform.start` and `platform.report` records (INFO) in the JSON format, none at a system log level above INFO.
 */
export function platformLogBytes(config: LoggingConfig, durationMs: number, memoryMb: number): number {
  const duration = durationMs.toFixed(2);
  const billed = Math.ceil(durationMs);
  const traced = config.tracing === 'Active';
  if (config.logFormat === 'JSON') {
    if (rank(config.systemLogLevel) > rank('INFO')) return 0;
    const start = { time, type: 'platform.start', record: { requestId, version: '$LATEST' } };
    const report = {
      time,
      type: 'platform.report',
      record: {
        requestId,
        metrics: {
          durationMs: Number(duration),
          billedDurationMs: billed,
          memorySizeMB: memoryMb,
          maxMemoryUsedMB: 96,
        },
        ...(traced ? { tracing: { spanId: '53995c3f42cd8ad8', type: 'X-Amzn-Trace-Id', value: traceValue } } : {}),
        status: 'success',
      },
    };
    return Buffer.byteLength(JSON.stringify(start)) + Buffer.byteLength(JSON.stringify(report));
  }
  const lines = [
    `START RequestId: ${requestId} Version: $LATEST`,
    `END RequestId: ${requestId}`,
    `REPORT RequestId: ${requestId}\tDuration: ${duration} ms\tBilled Duration: ${billed} ms\tMemory Size: ${memoryMb} MB\tMax Memory Used: 96 MB\t${traced ? `\nXRAY TraceId: 1-6757f1a2-3b9f0c1d2e4a5b6c7d8e9f01\tSegmentId: 53995c3f42cd8ad8\tSampled: true\t` : ''}`,
  ];
  return lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
}

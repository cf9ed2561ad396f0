import type { InvocationFaults, LambdaError } from './worker/protocol';

/**
 * Where a fault strikes: `before` the handler runs; `after` it ran to completion (its writes stay, the result is lost,
 * so the event or batch is delivered again); `sdk` on the function's AWS SDK requests (the services' own retryable
 * errors, inside the worker); `timeout` part-way through (the worker is ended at one of its SDK requests, or as the
 * handler returns, and the invocation reports that it timed out).
 */
export const faultModes = ['before', 'after', 'sdk', 'timeout'] as const;
export type FaultMode = (typeof faultModes)[number];

export interface FaultSpec {
  /** A logical-id prefix or a substring of the function name. */
  function: string;
  /** Probability (0..1) that an invocation (for `sdk`: an SDK request) fails. */
  failureRate?: number;
  /** Fail this many next invocations, then stop failing (unless failureRate is also set). Not for `sdk`. */
  failNext?: number;
  /** Default `before`. */
  mode?: FaultMode;
  /**
   * Only invocations whose event (for `sdk`: SDK requests whose body) contains this text: a poison message, which
   * fails every time it is processed.
   */
  match?: string;
  /** The error message the failing invocations report (`before` and `after`). */
  error?: string;
}

/** What an invocation of a function suffers, decided when it starts. */
export interface InvocationFault {
  /** Fails with this error instead of running the handler. */
  before?: LambdaError;
  /** Runs the handler, then fails with this error whatever it returned. */
  after?: LambdaError;
  /** Passed to the worker: failing SDK requests and the cut of a timeout. */
  worker?: InvocationFaults;
}

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
}

/** A timed-out invocation is ended at one of its first this-many SDK requests (or when its handler returns). */
const MAX_REQUESTS_BEFORE_TIMEOUT = 10;

/** Chaos for reliability tests: makes chosen functions fail before, after or while their handler runs. */
export class FaultInjector {
  private faults: ActiveFault[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  inject(spec: FaultSpec): void {
    if (spec.failureRate !== undefined && !(spec.failureRate >= 0 && spec.failureRate <= 1)) {
      throw new Error(`failureRate must be between 0 and 1, got ${spec.failureRate}`);
    }
    if (spec.failureRate === undefined && spec.failNext === undefined) {
      throw new Error('a fault needs failureRate or failNext');
    }
    if (spec.mode !== undefined && !faultModes.includes(spec.mode)) {
      throw new Error(`mode must be one of ${faultModes.join(', ')}, got ${spec.mode}`);
    }
    if (spec.mode === 'sdk' && spec.failNext !== undefined) {
      throw new Error('an sdk fault fails a share of SDK requests: give failureRate, not failNext');
    }
    this.faults.push({ spec, remaining: spec.failNext ?? 0 });
  }

  clear(): void {
    this.faults = [];
  }

  /** What this invocation of the function suffers, if anything. */
  check(fn: { logicalId: string; name: string }, event: unknown): InvocationFault | undefined {
    let eventText: string | undefined;
    const carries = (text: string) => {
      eventText ??= JSON.stringify(event) ?? '';
      return eventText.includes(text);
    };
    const fault: InvocationFault = {};
    const sdk: InvocationFaults['sdk'] = [];
    let cutAtRequest: number | undefined;
    for (const active of this.faults) {
      const { spec } = active;
      if (!fn.logicalId.startsWith(spec.function) && !fn.name.includes(spec.function)) continue;
      const mode = spec.mode ?? 'before';
      if (mode === 'sdk') {
        sdk.push({ failureRate: spec.failureRate ?? 0, ...(spec.match === undefined ? {} : { match: spec.match }) });
        continue;
      }
      if (spec.match !== undefined && !carries(spec.match)) continue;
      if (!this.strikes(active)) continue;
      const error = {
        errorType: 'InjectedFault',
        errorMessage: spec.error ?? `Injected fault (${spec.function}${mode === 'after' ? ', after the handler' : ''})`,
        trace: [],
      };
      if (mode === 'before') fault.before ??= error;
      else if (mode === 'after') fault.after ??= error;
      else cutAtRequest ??= 1 + Math.floor(this.random() * MAX_REQUESTS_BEFORE_TIMEOUT);
    }
    if (sdk.length > 0 || cutAtRequest !== undefined) {
      fault.worker = { sdk, ...(cutAtRequest === undefined ? {} : { cutAtRequest }) };
    }
    return fault.before || fault.after || fault.worker ? fault : undefined;
  }

  /** Whether a fault strikes this invocation: one of its `failNext`, or by its rate. */
  private strikes(fault: ActiveFault): boolean {
    let fails = false;
    if (fault.remaining > 0) {
      fault.remaining -= 1;
      fails = true;
    } else if (fault.spec.failureRate !== undefined) {
      fails = this.random() < fault.spec.failureRate;
    }
    if (fault.remaining === 0 && fault.spec.failureRate === undefined) {
      this.faults = this.faults.filter((candidate) => candidate !== fault);
    }
    return fails;
  }
}

/** Parses `CXLOOP_FAULTS` (`<function>:<rate>[:<mode>]`, comma-separated: `Aggregator:0.2,Categoriser:0.1:sdk`). */
export function parseFaultSpecs(text: string): FaultSpec[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [fn = '', rateText = '', mode, ...rest] = part.split(':');
      const rate = rateText.trim() === '' ? Number.NaN : Number(rateText);
      if (fn === '' || !(rate >= 0 && rate <= 1) || rest.length > 0) {
        throw new Error(`bad fault "${part}": expected <function>:<failure rate 0..1>[:<mode>]`);
      }
      if (mode !== undefined && !(faultModes as readonly string[]).includes(mode)) {
        throw new Error(`bad fault "${part}": the mode is one of ${faultModes.join(', ')}`);
      }
      return { function: fn, failureRate: rate, ...(mode ? { mode: mode as FaultMode } : {}) };
    });
}

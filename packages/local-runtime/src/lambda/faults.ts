import type { LambdaError } from './worker/protocol';

export interface FaultSpec {
  /** A logical-id prefix or a substring of the function name. */
  function: string;
  /** Probability (0..1) that an invocation fails. */
  failureRate?: number;
  /** Fail this many next invocations, then stop failing (unless failureRate is also set). */
  failNext?: number;
  /** The error message the failing invocations report. */
  error?: string;
}

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
}

/** Chaos for reliability tests: makes chosen functions fail before their handler runs. */
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
    this.faults.push({ spec, remaining: spec.failNext ?? 0 });
  }

  clear(): void {
    this.faults = [];
  }

  /** The error this invocation of the function must fail with, if any. */
  check(fn: { logicalId: string; name: string }): LambdaError | undefined {
    for (const fault of this.faults) {
      const { spec } = fault;
      if (!fn.logicalId.startsWith(spec.function) && !fn.name.includes(spec.function)) continue;
      let fails = false;
      if (fault.remaining > 0) {
        fault.remaining -= 1;
        fails = true;
      } else if (spec.failureRate !== undefined) {
        fails = this.random() < spec.failureRate;
      }
      if (fault.remaining === 0 && spec.failureRate === undefined) this.faults = this.faults.filter((f) => f !== fault);
      if (fails) {
        return {
          errorType: 'InjectedFault',
          errorMessage: spec.error ?? `Injected fault (${spec.function})`,
          trace: [],
        };
      }
    }
    return undefined;
  }
}

/** Parses `CXLOOP_FAULTS` (`fnPrefix:0.2,other:0.5`) into fault specs. */
export function parseFaultSpecs(text: string): FaultSpec[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.lastIndexOf(':');
      const rate = Number(part.slice(at + 1));
      if (at <= 0 || !(rate >= 0 && rate <= 1)) {
        throw new Error(`bad fault "${part}": expected <function>:<failure rate 0..1>`);
      }
      return { function: part.slice(0, at), failureRate: rate };
    });
}

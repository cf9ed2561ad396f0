/** Messages between the runtime and a function's worker thread. */

/** A function error as Lambda reports it (the invocation's response payload when it fails). */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export interface WorkerData {
  codeDirectory: string;
  /** `file.export`, as in the function's Handler property. */
  handler: string;
  /** Module customization hooks that resolve the AWS SDK the way the Lambda runtime provides it. */
  hooksUrl: string;
  /** Where bare `@aws-sdk/*` imports resolve from when the bundle does not include the SDK. */
  sdkParentUrl: string;
}

export interface InvocationContext {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  /** Epoch milliseconds when the invocation times out. */
  deadlineMs: number;
  traceId: string;
}

/** Faults an invocation suffers inside the worker (see `FaultInjector`). */
export interface InvocationFaults {
  /** Each SDK request (each attempt) fails at the first rate that strikes, of those whose `match` its body carries. */
  sdk: { failureRate: number; match?: string }[];
  /** The invocation is cut, as by its timeout, when it starts this SDK request (1-based) or when its handler returns. */
  cutAtRequest?: number;
}

export type ToWorker = {
  type: 'invoke';
  id: number;
  event: unknown;
  context: InvocationContext;
  faults?: InvocationFaults;
};

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; error: LambdaError }
  | { type: 'result'; id: number; payload: string }
  | { type: 'error'; id: number; error: LambdaError }
  /** The invocation reached its injected timeout: the worker waits to be ended. */
  | { type: 'cut'; id: number }
  /** An unhandled rejection or uncaught exception: the worker is about to exit. */
  | { type: 'crash'; error: LambdaError };

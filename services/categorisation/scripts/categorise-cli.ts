/**
 * Batch categorisation: JSON lines in, JSON lines out, one output line per input line.
 *   npm run categorise -- < feedback.jsonl > categorised.jsonl
 * Input lines: {"id": "...", "text": "...", "lang"?: "ru"}. Output: {"id", ...the categorisation}. A line that is
 * not valid input gives {"id"?, "error"} and the stream goes on; blank lines are skipped. Options:
 *   --taxonomy=path.json   use a taxonomy (JSON, as the admin API stores it) instead of the default
 *   --model=path.json      adjust with a per-deployment model trained from corrections
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import * as z from 'zod';
import {
  type CategoriseOverrides,
  categorise,
  compileTaxonomy,
  correctionModelSchema,
  defaultTaxonomy,
  taxonomySchema,
} from '../src/index';

const inputLineSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  text: z.string().max(1_000_000).optional(),
  lang: z.string().min(2).max(35).optional(),
});

function option(name: string): string | undefined {
  return process.argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function errorMessage(error: unknown): string {
  if (error instanceof z.ZodError)
    return error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}

/** The id of a line that parsed as JSON but failed validation, so that its error line can still be matched. */
function idOf(value: unknown): string | number | undefined {
  if (typeof value !== 'object' || value === null || !('id' in value)) return undefined;
  const { id } = value as { id: unknown };
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

export function categoriseLine(
  line: string,
  taxonomy: ReturnType<typeof compileTaxonomy>,
  overrides: CategoriseOverrides,
): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { error: 'not valid JSON' };
  }
  const input = inputLineSchema.safeParse(parsed);
  if (!input.success) return { id: idOf(parsed), error: errorMessage(input.error) };
  const { id, text, lang } = input.data;
  try {
    return { id, ...categorise({ text, languageHint: lang }, taxonomy, overrides) };
  } catch (error) {
    return { id, error: errorMessage(error) };
  }
}

async function main(): Promise<void> {
  const taxonomyPath = option('taxonomy');
  const modelPath = option('model');
  const taxonomy = compileTaxonomy(taxonomyPath ? taxonomySchema.parse(readJson(taxonomyPath)) : defaultTaxonomy);
  const overrides: CategoriseOverrides = modelPath ? { model: correctionModelSchema.parse(readJson(modelPath)) } : {};
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const output = `${JSON.stringify(categoriseLine(line, taxonomy, overrides))}\n`;
    if (!process.stdout.write(output)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  }
}

const runAsScript = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (runAsScript) await main();

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { invalidField, type RowOrigin, type SourceRow, scalarProperties } from './rows';

/**
 * Delighted's API shapes (https://delighted.com/docs/api/listing-survey-responses and …/listing-people, and the
 * official Node client 2.2.0, which returns the bodies as they are): ids are strings (numbers are accepted too),
 * times Unix seconds; with `expand[]=person` a response's `person` is the person object, else its id.
 */
const id = z.union([z.string().min(1), z.number()]).transform(String);
const personSchema = z.object({
  id: id.nullish(),
  email: z.string().nullish(),
  name: z.string().nullish(),
  phone_number: z.string().nullish(),
});
export type DelightedPerson = z.infer<typeof personSchema>;
const responseSchema = z.object({
  id,
  person: z.union([id, personSchema]).nullish(),
  survey_type: z.string().nullish(),
  score: z.number().int(),
  comment: z.string().nullish(),
  created_at: z.number(),
  person_properties: z.record(z.string(), z.unknown()).nullish(),
});

/** Delighted's survey types on cxloop's scales; the others (smileys, thumbs, five_star, pmf) have none. */
const surveyTypes: Record<string, 'nps' | 'csat' | 'ces'> = { nps: 'nps', enps: 'nps', csat: 'csat', ces: 'ces' };

/**
 * One item of a `survey_responses.json` page as a row to import: its id, its creation time (when the person
 * answered), score, comment, the person (from the item, else from `people.json`) and the person's properties.
 * Delighted's notes, tags, additional answers, permalinks and phone numbers are not imported.
 */
export function rowFromDelighted(
  item: unknown,
  people: ReadonlyMap<string, DelightedPerson>,
  origin: RowOrigin,
  surveyType?: 'nps' | 'csat' | 'ces',
): SourceRow {
  const parsed = responseSchema.safeParse(item);
  const itemId = (item as { id?: unknown } | null)?.id;
  const sourceId = typeof itemId === 'string' || typeof itemId === 'number' ? String(itemId) : undefined;
  const reject = (field: string, message: string) => ({
    origin,
    ...(sourceId !== undefined ? { sourceId } : {}),
    rejection: invalidField(field, message),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return reject(issue?.path.join('.') || 'item', issue?.message ?? 'not a Delighted survey response');
  }
  const response = parsed.data;
  const type = response.survey_type ? surveyTypes[response.survey_type] : surveyType;
  if (response.survey_type && !type)
    return reject('survey_type', `${response.survey_type} answers have no NPS, CSAT or CES scale`);
  if (surveyType && type !== surveyType) {
    return reject(
      'survey_type',
      `a ${response.survey_type} answer: import it into a ${type} survey, not a ${surveyType} one`,
    );
  }
  const person =
    typeof response.person === 'string' ? (people.get(response.person) ?? { id: response.person }) : response.person;
  const respondent = {
    ...(person?.id ? { id: person.id } : {}),
    ...(person?.email ? { email: person.email.trim() } : {}),
    ...(person?.name ? { name: person.name } : {}),
  };
  const properties = scalarProperties(response.person_properties ?? {});
  const comment = response.comment?.trim();
  return {
    origin,
    sourceId: response.id,
    row: {
      sourceId: response.id,
      answeredAt: new Date(response.created_at * 1000).toISOString(),
      score: response.score,
      ...(comment ? { comment } : {}),
      ...(Object.keys(respondent).length > 0 ? { respondent } : {}),
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
    },
  };
}

/** The page files of a saved export: `<prefix>.json`, `<prefix>-2.json`, `<prefix>_page_3.json`…, in page order. */
async function pageFiles(dir: string, prefix: string): Promise<string[]> {
  const pageNumber = (name: string) => Number(/(\d+)\.json$/.exec(name)?.[1] ?? 0);
  return (await readdir(dir))
    .filter((name) => name.startsWith(prefix) && name.endsWith('.json'))
    .sort((a, b) => pageNumber(a) - pageNumber(b) || a.localeCompare(b));
}

async function readPage(dir: string, name: string): Promise<unknown[]> {
  const page: unknown = JSON.parse(await readFile(join(dir, name), 'utf8'));
  if (!Array.isArray(page)) throw new Error(`${name}: expected a JSON array, as Delighted's API answers a page`);
  return page;
}

/** Every person of the `people*.json` pages by id: their e-mail address and name for responses saved without expansion. */
export async function readPeople(dir: string): Promise<Map<string, DelightedPerson>> {
  const people = new Map<string, DelightedPerson>();
  for (const name of await pageFiles(dir, 'people')) {
    for (const item of await readPage(dir, name)) {
      const person = personSchema.safeParse(item);
      if (person.success && person.data.id) people.set(person.data.id, person.data);
    }
  }
  return people;
}

/** The rows of a directory of saved `survey_responses*.json` pages (and `people*.json`), one page in memory at a time. */
export async function* delightedRows(dir: string, surveyType?: 'nps' | 'csat' | 'ces'): AsyncGenerator<SourceRow> {
  const people = await readPeople(dir);
  const files = await pageFiles(dir, 'survey_responses');
  if (files.length === 0) throw new Error(`${dir}: no survey_responses*.json pages`);
  for (const file of files) {
    const page = await readPage(dir, file);
    for (const [index, item] of page.entries()) yield rowFromDelighted(item, people, { file, index }, surveyType);
  }
}

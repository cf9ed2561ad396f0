import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SentimentLabel } from '../src/domain/sentiment';

/**
 * Readers for the development sets in ../shared/datasets (see its README). The sets are not shipped and not copied:
 * the evaluation reads them where they are.
 */
export const DATASETS_DIR = resolve(import.meta.dirname, '../../../../shared/datasets');

export interface SentimentItem {
  readonly id: string;
  readonly text: string;
  readonly label: SentimentLabel;
}

export interface AirlineItem extends SentimentItem {
  readonly negativeReason: string | undefined;
}

export interface AspectReview {
  readonly id: string;
  readonly text: string;
  readonly categories: ReadonlySet<string>;
}

export function datasetPath(file: string): string {
  return join(DATASETS_DIR, file);
}

export function datasetsPresent(files: readonly string[]): boolean {
  return files.every((file) => existsSync(datasetPath(file)));
}

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x?[0-9a-f]+|\w+);/gi, (entity, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return XML_ENTITIES[name] ?? entity;
  });
}

const LABELS: Readonly<Record<string, SentimentLabel>> = { '1': 'positive', '0': 'neutral', '-1': 'negative' };

/**
 * SentiRuEval-2015 tweets (phpMyAdmin XML): the label is the value of the companies the tweet mentions; tweets whose
 * companies disagree are skipped.
 */
export function readSentiRuEval(file: string, companies: readonly string[]): SentimentItem[] {
  const xml = readFileSync(datasetPath(file), 'utf8');
  const items: SentimentItem[] = [];
  for (const [, body] of xml.matchAll(/<table name="[^"]+">([\s\S]*?)<\/table>/g)) {
    const columns = new Map<string, string>();
    for (const [, name, value] of body!.matchAll(/<column name="(\w+)">([\s\S]*?)<\/column>/g)) {
      columns.set(name!, decodeXml(value!));
    }
    const values = new Set(
      companies.map((company) => columns.get(company)).filter((value) => value !== undefined && value !== 'NULL'),
    );
    const [value] = values;
    const label = value === undefined ? undefined : LABELS[value];
    if (values.size !== 1 || label === undefined) continue;
    items.push({
      id: columns.get('twitid') ?? columns.get('id') ?? String(items.length),
      text: columns.get('text') ?? '',
      label,
    });
  }
  return items;
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function readAirline(file: string): AirlineItem[] {
  const [header, ...rows] = parseCsv(readFileSync(datasetPath(file), 'utf8'));
  const column = (name: string) => header!.indexOf(name);
  const [id, sentiment, reason, text] = ['tweet_id', 'airline_sentiment', 'negativereason', 'text'].map(column);
  return rows
    .filter((row) => row.length === header!.length)
    .map((row) => ({
      id: row[id!]!,
      text: row[text!]!,
      label: row[sentiment!] as SentimentLabel,
      negativeReason: row[reason!] || undefined,
    }));
}

/** SentiRuEval-2015 restaurant reviews: the aspect categories marked anywhere in each review. */
export function readAspectReviews(file: string): AspectReview[] {
  const xml = readFileSync(datasetPath(file), 'utf8');
  const reviews: AspectReview[] = [];
  for (const [, id, body] of xml.matchAll(/<review id="(\d+)">([\s\S]*?)<\/review>/g)) {
    const text = decodeXml(/<text>([\s\S]*?)<\/text>/.exec(body!)?.[1] ?? '');
    const categories = new Set([...body!.matchAll(/<aspect [^>]*category="(\w+)"/g)].map((match) => match[1]!));
    reviews.push({ id: id!, text, categories });
  }
  return reviews;
}

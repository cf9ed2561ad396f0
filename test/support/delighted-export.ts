import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const comments = [
  'Доставка опоздала на три дня, поддержка не отвечает',
  'Курьер приехал вовремя, всё отлично, спасибо',
  'Приложение часто зависает при оплате',
  'Цены выросли, качество нет',
  'Delivery was late again and nobody called me',
  'Great service, the courier was friendly and fast',
  'The app keeps crashing at checkout',
  'Too expensive for what you get',
  '',
];

/**
 * Delighted-shaped `survey_responses.json` pages (100 per page, `expand[]=person` on odd pages, person ids only on
 * even ones, resolved through `people.json`), spread evenly over `months` months before `now`, RU/EN comments.
 * Returns how many were written per calendar month (UTC), for checking a trend.
 */
export function writeDelightedExport(
  dir: string,
  { rows, months, now, idPrefix = '' }: { rows: number; months: number; now: Date; idPrefix?: string },
): Map<string, number> {
  const spanSeconds = months * 30 * 24 * 3600;
  const end = Math.floor(now.getTime() / 1000) - 3600;
  const perMonth = new Map<string, number>();
  const people = Array.from({ length: Math.max(1, Math.floor(rows / 4)) }, (_, index) => ({
    id: `${idPrefix}p${index + 1}`,
    email: `person${index + 1}@example.com`,
    name: `Person ${index + 1}`,
    created_at: end - spanSeconds,
  }));
  writeFileSync(join(dir, 'people.json'), JSON.stringify(people));
  for (let page = 0; page * 100 < rows; page++) {
    const items = [];
    for (let index = page * 100; index < Math.min(rows, (page + 1) * 100); index++) {
      const createdAt = end - Math.floor((spanSeconds * (rows - 1 - index)) / Math.max(rows - 1, 1));
      const person = people[index % people.length]!;
      const month = new Date(createdAt * 1000).toISOString().slice(0, 7);
      perMonth.set(month, (perMonth.get(month) ?? 0) + 1);
      items.push({
        id: `${idPrefix}${index + 1}`,
        person: page % 2 === 0 ? person : person.id,
        survey_type: 'nps',
        score: (index * 7) % 11,
        comment: comments[index % comments.length] || null,
        permalink: `https://app.delighted.com/r/${index + 1}`,
        created_at: createdAt,
        updated_at: null,
        person_properties: { plan: index % 3 === 0 ? 'pro' : 'free', country: index % 2 === 0 ? 'RU' : 'GB' },
        notes: [],
        tags: [],
        additional_answers: [],
      });
    }
    writeFileSync(
      join(dir, page === 0 ? 'survey_responses.json' : `survey_responses-${page + 1}.json`),
      JSON.stringify(items),
    );
  }
  return perMonth;
}

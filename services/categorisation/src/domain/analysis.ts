import { detectLanguage, scriptOfLanguage, UNDETERMINED } from './language';
import { type AnalysedText, analyseText, type Token } from './text';

export interface CategoriseInput {
  readonly text?: string;
  /** The source's language (a BCP 47 tag such as "ru-RU"); wins over detection when present. */
  readonly languageHint?: string;
  readonly score?: { readonly value: number; readonly min: number; readonly max: number; readonly normalised: number };
  /** Feedback kind (nps, csat, ces, rating, review, text): NPS reads its score with NPS bands. */
  readonly kind?: string;
}

/** Which language's rules and lexicon apply to a token: its script decides in mixed-language text. */
export function tokenLanguageResolver(documentLanguage: string): (token: Token) => string {
  const documentScript = documentLanguage === UNDETERMINED ? 'other' : scriptOfLanguage(documentLanguage);
  return (token) => {
    if (token.script === documentScript) return documentLanguage;
    if (token.script === 'cyrillic') return 'ru';
    if (token.script === 'latin') return 'en';
    return documentLanguage;
  };
}

export interface Analysis {
  readonly analysed: AnalysedText;
  readonly language: string;
  readonly languageOf: (token: Token) => string;
}

export function analyse(input: CategoriseInput): Analysis {
  const analysed = analyseText(input.text ?? '');
  const language = detectLanguage(analysed.text, analysed.tokens, input.languageHint);
  return { analysed, language, languageOf: tokenLanguageResolver(language) };
}

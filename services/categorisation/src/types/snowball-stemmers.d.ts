/** The package ships no types (DefinitelyTyped has @types/snowball-stemmers); this is the part cxloop uses (Czech). */
declare module 'snowball-stemmers' {
  export interface Stemmer {
    stem(word: string): string;
  }
  export function newStemmer(algorithm: string): Stemmer;
  export function algorithms(): string[];
}

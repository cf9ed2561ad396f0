/** The package ships no types; these are the two stemmers cxloop bundles (the others are loaded by name). */
declare module 'snowball-stemmer.jsx/dest/russian-stemmer.common.min.js' {
  export class RussianStemmer {
    stemWord(word: string): string;
  }
}
declare module 'snowball-stemmer.jsx/dest/english-stemmer.common.min.js' {
  export class EnglishStemmer {
    stemWord(word: string): string;
  }
}

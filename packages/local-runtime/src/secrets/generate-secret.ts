import { randomInt } from 'node:crypto';
import type { GenerateSecretStringOptions } from '../template/resources/secrets';

const lowercase = 'abcdefghijklmnopqrstuvwxyz';
const uppercase = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const digits = '0123456789';
const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/**
 * A random value following GenerateSecretString (length 32 by default, character classes, exclusions, and the
 * SecretStringTemplate/GenerateStringKey JSON form).
 */
export function generateSecretString(
  options: GenerateSecretStringOptions,
  random: (max: number) => number = randomInt,
): string {
  const excluded = new Set(options.excludeCharacters ?? '');
  const keep = (set: string) => [...set].filter((char) => !excluded.has(char)).join('');
  const classes = [
    options.excludeLowercase ? '' : keep(lowercase),
    options.excludeUppercase ? '' : keep(uppercase),
    options.excludeNumbers ? '' : keep(digits),
    options.excludePunctuation ? '' : keep(punctuation),
    options.includeSpace ? ' ' : '',
  ].filter((set) => set !== '');
  const alphabet = classes.join('');
  if (alphabet === '') throw new Error('GenerateSecretString excludes every character');
  const length = options.passwordLength ?? 32;
  const pick = (set: string) => set[random(set.length)] as string;
  const chars = Array.from({ length }, () => pick(alphabet));
  if (options.requireEachIncludedType !== false && length >= classes.length) {
    // Put one character of each included class at distinct random positions.
    const positions = new Set<number>();
    while (positions.size < classes.length) positions.add(random(length));
    [...positions].forEach((position, index) => {
      chars[position] = pick(classes[index] as string);
    });
  }
  const generated = chars.join('');
  if (options.secretStringTemplate !== undefined && options.generateStringKey !== undefined) {
    return JSON.stringify({ ...JSON.parse(options.secretStringTemplate), [options.generateStringKey]: generated });
  }
  return generated;
}

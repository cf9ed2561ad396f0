export type StringTest = (value: string) => boolean;

/**
 * Compiles a `wildcard` operand: `*` is any run of characters (including none), `\*` a literal asterisk, `\\` a
 * literal backslash. Returns the reason when EventBridge would reject it (`**`, or `\` before anything else).
 */
export function compileWildcard(pattern: string): StringTest | string {
  const literals: string[] = [];
  let literal = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '\\') {
      const escaped = pattern[index + 1];
      if (escaped !== '*' && escaped !== '\\')
        return `invalid escape at position ${index}: only \\* and \\\\ are allowed`;
      literal += escaped;
      index++;
    } else if (char === '*') {
      if (pattern[index + 1] === '*') return `consecutive wildcard characters at position ${index}`;
      literals.push(literal);
      literal = '';
    } else {
      literal += char;
    }
  }
  literals.push(literal);
  return matchLiteralsInOrder(literals);
}

// Greedy left-to-right search of the literals between the stars: linear in the value for each literal, where a
// backtracking regex can go exponential on a long value that just misses.
function matchLiteralsInOrder(literals: readonly string[]): StringTest {
  const first = literals[0] ?? '';
  if (literals.length === 1) return (value) => value === first;
  const last = literals[literals.length - 1] ?? '';
  const middle = literals.slice(1, -1);
  return (value) => {
    if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
    const end = value.length - last.length;
    let from = first.length;
    for (const literal of middle) {
      const at = value.indexOf(literal, from);
      if (at === -1 || at + literal.length > end) return false;
      from = at + literal.length;
    }
    return true;
  };
}

export type Anchor = 'whole' | 'start' | 'end';

/**
 * Case-insensitive comparison the way Event Ruler does it: each character of the operand may appear in the value
 * as itself, its lower case or its upper case (so `ß` also matches `SS`), which neither `toLowerCase()` on both
 * sides nor case folding reproduces.
 */
export function compileIgnoreCase(operand: string, anchor: Anchor): StringTest {
  let source = '';
  for (const char of operand) {
    const forms = [...new Set([char, char.toLowerCase(), char.toUpperCase()])].map(escapeRegExp);
    source += forms.length === 1 ? forms[0] : `(?:${forms.join('|')})`;
  }
  const anchored = anchor === 'whole' ? `^${source}$` : anchor === 'start' ? `^${source}` : `${source}$`;
  const regExp = new RegExp(anchored, 'u');
  return (value) => regExp.test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

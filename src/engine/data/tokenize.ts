/**
 * Tokenizers. `char`: every code point (spaces included — they matter in character tasks);
 * `word`: runs of letters, marks and digits are words, every other non-space character is its
 * own token; `cjk`: as `word`, and each Han character is its own token. Text is NFC-normalised.
 */
export type ConcreteTokenizer = 'char' | 'word' | 'cjk';

const WORD = /[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu;
const CJK = /\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}])+|[^\s\p{L}\p{M}\p{N}]/gu;

export function tokenize(text: string, kind: ConcreteTokenizer, lowercase: boolean): string[] {
  let normalized = text.normalize('NFC');
  if (lowercase) normalized = normalized.toLowerCase();
  switch (kind) {
    case 'char': return Array.from(normalized);
    case 'word': return normalized.match(WORD) ?? [];
    case 'cjk': return normalized.match(CJK) ?? [];
  }
}

const NO_SPACE_BEFORE = new Set([',', '.', '!', '?', ';', ':', ')', ']', '}', '%', '、', '。', '，', '！', '？', '；', '：']);
const NO_SPACE_AFTER = new Set(['(', '[', '{']);
const HAN = /^\p{Script=Han}$/u;

/** Joins tokens back into text; for word/cjk whitespace is normalised to single spaces. */
export function detokenize(tokens: string[], kind: ConcreteTokenizer): string {
  if (kind === 'char') return tokens.join('');
  let out = '';
  tokens.forEach((token, i) => {
    if (i > 0) {
      const previous = tokens[i - 1];
      const joined = NO_SPACE_BEFORE.has(token) || NO_SPACE_AFTER.has(previous) || (HAN.test(previous) && HAN.test(token));
      if (!joined) out += ' ';
    }
    out += token;
  });
  return out;
}

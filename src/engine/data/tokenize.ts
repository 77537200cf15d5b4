/**
 * Tokenizers. `char`: every code point (spaces included — they matter in character tasks);
 * `word`: runs of letters, marks and digits are words, every other non-space character is its
 * own token; `cjk`: as `word`, and each Han character is its own token (Chinese and Japanese
 * are written without spaces, so a "word" would be a whole clause). Text is NFC-normalised so
 * that "é" typed as e + combining accent and as one code point are the same token.
 */

/** A tokenizer the engine can run (`auto` in the config resolves to one of these). */
export type ConcreteTokenizer = 'char' | 'word' | 'cjk';

const WORD = /[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu;
const CJK = /\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}])+|[^\s\p{L}\p{M}\p{N}]/gu;

/**
 * Splits text into tokens.
 * - `char`: each Unicode code point (not UTF-16 unit), spaces kept as `' '` tokens.
 * - `word`: runs of `\p{L}\p{M}\p{N}` are words; each other non-space character is a token;
 *   whitespace only separates.
 * - `cjk`: as `word`, but each Han character is its own token ("我爱NLP!" → 我 爱 NLP !).
 * @param lowercase lowercase before splitting (locale-independent)
 */
export function tokenize(text: string, kind: ConcreteTokenizer, lowercase: boolean): string[] {
  let normalized = text.normalize('NFC');
  // Lowercasing can produce decomposed forms (İ → i + U+0307), so normalise again.
  if (lowercase) normalized = normalized.toLowerCase().normalize('NFC');
  switch (kind) {
    case 'char': return Array.from(normalized);
    case 'word': return normalized.match(WORD) ?? [];
    case 'cjk': return normalized.match(CJK) ?? [];
  }
}

const NO_SPACE_BEFORE = new Set([',', '.', '!', '?', ';', ':', ')', ']', '}', '%']);
const NO_SPACE_AFTER = new Set(['(', '[', '{']);
const HAN = /^\p{Script=Han}$/u;
// Full-width CJK punctuation (，。「」…) carries its own spacing: no space on either side.
const CJK_PUNCTUATION = /^(?=[\p{P}\p{S}])[\u3000-\u303f\uff00-\uffef]$/u;

/**
 * Joins tokens back into text.
 * - `char`: concatenation, so `detokenize(tokenize(x))` is `x` (NFC, maybe lowercased).
 * - `word` / `cjk`: single spaces between tokens, except none between two Han characters,
 *   before `, . ! ? ; : ) ] } %`, after `( [ {`, and on either side of full-width CJK
 *   punctuation (，。「」). Tokenizing drops
 *   the original spacing, so `detokenize(tokenize(x))` normalises whitespace: "a  ,b" → "a, b".
 */
export function detokenize(tokens: string[], kind: ConcreteTokenizer): string {
  if (kind === 'char') return tokens.join('');
  let out = '';
  tokens.forEach((token, i) => {
    if (i > 0) {
      const previous = tokens[i - 1];
      const joined = NO_SPACE_BEFORE.has(token) || NO_SPACE_AFTER.has(previous) || (HAN.test(previous) && HAN.test(token))
        || CJK_PUNCTUATION.test(token) || CJK_PUNCTUATION.test(previous);
      if (!joined) out += ' ';
    }
    out += token;
  });
  return out;
}

/**
 * sacreBLEU's tokenizers, ported from `sacrebleu/tokenizers/tokenizer_13a.py`,
 * `tokenizer_re.py`, `tokenizer_none.py` and `tokenizer_char.py` (sacreBLEU 2.x).
 */
import { codePoints, pySplit } from './pyText';

/**
 * The regular-expression steps of sacreBLEU's `TokenizerRegexp`, in order. JavaScript's global
 * `replace` scans left to right without overlaps exactly like Python's `re.sub`, so the same
 * patterns give the same output.
 */
const POST_TOKENIZER_STEPS: ReadonlyArray<readonly [RegExp, string]> = [
  // Split off ASCII symbols: { | } ~ [ \ ] ^ _ ` space ! " # $ % & ( ) * + : ; < = > ? @ /
  // (apostrophe, comma, hyphen and period are deliberately absent, as in mteval-v13a.pl).
  [/([{-~\[-`\x20-&(-+:-@/])/gu, ' $1 '],
  // Period and comma are split off unless preceded by a digit...
  [/([^0-9])([.,])/gu, '$1 $2 '],
  // ...or unless followed by a digit, so "3.14" and "1,000" survive.
  [/([.,])([^0-9])/gu, ' $1 $2'],
  // A dash after a digit is split off ("5-10" -> "5 - 10").
  [/([0-9])(-)/gu, '$1 $2 '],
];

/**
 * sacreBLEU's default `13a` tokenizer (equivalent to WMT's mteval-v13a.pl): drops `<skipped>`,
 * joins hyphenated line breaks, unescapes four XML entities, splits off punctuation, and
 * normalises whitespace to single spaces (with Python's notion of whitespace).
 *
 * @param line One segment. sacreBLEU right-strips it before calling the tokenizer; so does
 *   {@link corpusBleu}, but this function does not.
 * @returns The tokens joined by single spaces.
 */
export function tokenize13a(line: string): string {
  let s = line.split('<skipped>').join('');
  s = s.split('-\n').join('');
  s = s.split('\n').join(' ');
  if (s.includes('&')) {
    // Sequential, like Python's chained str.replace: "&amp;lt;" ends up as "<".
    s = s.split('&quot;').join('"');
    s = s.split('&amp;').join('&');
    s = s.split('&lt;').join('<');
    s = s.split('&gt;').join('>');
  }
  s = ` ${s} `;
  for (const [pattern, replacement] of POST_TOKENIZER_STEPS) s = s.replace(pattern, replacement);
  return pySplit(s).join(' ');
}

/** sacreBLEU's `char` tokenizer: every code point (spaces included) becomes a token. */
export function tokenizeChar(line: string): string {
  return codePoints(line).join(' ');
}

/** Tokenizer names accepted by {@link corpusBleu}; each is also its signature value. */
export type BleuTokenizerName = '13a' | 'none' | 'char';

/** Returns the tokenizer function sacreBLEU uses for `name`. */
export function bleuTokenizer(name: BleuTokenizerName): (line: string) => string {
  switch (name) {
    case '13a':
      return tokenize13a;
    case 'char':
      return tokenizeChar;
    case 'none':
      return line => line;
    default:
      throw new Error(`Unknown BLEU tokenizer '${String(name)}' (expected '13a', 'none' or 'char')`);
  }
}

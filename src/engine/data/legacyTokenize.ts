/**
 * The word and cjk tokenizers of runs made before the reversible ones (their tokenizers.json
 * holds a bare kind name such as "word"): no ▁ space markers, whitespace dropped, and a
 * detokenizer that puts single spaces back by rule. Kept so those runs still translate as
 * they were trained; new runs never use it.
 */
const WORD = /[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu;
const CJK = /\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}])+|[^\s\p{L}\p{M}\p{N}]/gu;
const NO_SPACE_BEFORE = new Set([',', '.', '!', '?', ';', ':', ')', ']', '}', '%']);
const NO_SPACE_AFTER = new Set(['(', '[', '{']);
const HAN = /^\p{Script=Han}$/u;
// Full-width CJK punctuation (，。「」…) carries its own spacing: no space on either side.
const CJK_PUNCTUATION = /^(?=[\p{P}\p{S}])[\u3000-\u303f\uff00-\uffef]$/u;

export function legacyTokenize(normalized: string, kind: 'word' | 'cjk'): string[] {
  return normalized.match(kind === 'word' ? WORD : CJK) ?? [];
}

export function legacyDetokenize(tokens: readonly string[]): string {
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

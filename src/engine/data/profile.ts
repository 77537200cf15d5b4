/**
 * What `auto` decides from the data, and why: per side of the training split, figures a
 * person would look at (alphabet, lengths, how often held-out words are unseen, Han share,
 * digits), then a tokenizer by explicit rules, and for `subword` a vocabulary size scaled to
 * the corpus. Every decision carries its reason in words; the dataset card and the run's
 * start-up lines show them.
 */
import type { SideFigures, TokenizerDecision } from '../../shared/dataCard';
import { trainBpe, initialSymbols } from './bpe';
import { Tokenizer, TokenizerSpec } from './tokenize';
import { normalizeText, splitUnits, Unit } from './units';

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const LETTER = /\p{L}/u;
const HAN = /\p{Script=Han}/u;
const DIGIT = /\p{N}/u;

export interface ProfiledSide extends SideFigures {
  /** Share of non-space characters that are digits. */
  digitShare: number;
  /** Word occurrences in the training text. */
  wordTokens: number;
}

/**
 * Figures of one side of the training split. The out-of-vocabulary rate is measured as the
 * model will meet it: words of the last tenth of the texts never seen in the first nine tenths.
 */
export function profileSide(texts: readonly string[], lowercase: boolean): ProfiledSide {
  const alphabet = new Set<string>();
  let chars = 0;
  let words = 0;
  let letters = 0;
  let han = 0;
  let digits = 0;
  let nonSpace = 0;
  const cut = Math.max(1, Math.floor(texts.length * 0.9));
  const seen = new Set<string>();
  const types = new Set<string>();
  let heldOutWords = 0;
  let heldOutUnseen = 0;
  texts.forEach((raw, i) => {
    const text = normalizeText(raw, lowercase);
    for (const ch of text) {
      alphabet.add(ch);
      chars++;
      if (/\s/u.test(ch)) continue;
      nonSpace++;
      if (LETTER.test(ch)) {
        letters++;
        if (HAN.test(ch)) han++;
      } else if (DIGIT.test(ch)) digits++;
    }
    const textWords = text.match(WORD) ?? [];
    words += textWords.length;
    for (const w of textWords) {
      types.add(w);
      if (i < cut || texts.length < 2) seen.add(w);
      else {
        heldOutWords++;
        if (!seen.has(w)) heldOutUnseen++;
      }
    }
  });
  const n = Math.max(1, texts.length);
  return {
    alphabetSize: alphabet.size,
    meanChars: chars / n,
    meanWords: words / n,
    wordOovRate: heldOutWords ? heldOutUnseen / heldOutWords : 0,
    hanShare: letters ? han / letters : 0,
    wordTypes: types.size,
    digitShare: nonSpace ? digits / nonSpace : 0,
    wordTokens: words,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 && x > 0 ? 2 : 1)} %`;
const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/** Strips the profiling-only fields. */
function figuresOf(p: ProfiledSide): SideFigures {
  return { alphabetSize: p.alphabetSize, meanChars: p.meanChars, meanWords: p.meanWords, wordOovRate: p.wordOovRate, hanShare: p.hanShare, wordTypes: p.wordTypes };
}

/**
 * The rules of `auto`, in order:
 * 1. Han characters are ≥ 30 % of the letters → `cjk` (each Han character a token).
 * 2. Fewer than 1.5 words per line → `char` (single words or codes: spelling, numbers, ids).
 * 3. Held-out words are unseen ≤ 1 % of the time → `word` (a closed vocabulary: phonemes,
 *    number words, tags).
 * 4. Digits are ≥ 20 % of the characters, or lines average ≤ 12 characters → `char` (dates,
 *    codes, short strings).
 * 5. Otherwise natural-language text → `subword`.
 */
export function chooseTokenizer(p: ProfiledSide): { tokenizer: 'char' | 'word' | 'cjk' | 'subword'; reason: string } {
  if (p.hanShare >= 0.3) return { tokenizer: 'cjk', reason: `Han characters are ${pct(p.hanShare)} of the letters: each one a token` };
  if (p.meanWords < 1.5) return { tokenizer: 'char', reason: `${num(p.meanWords)} words per line on average (single words or codes): characters` };
  if (p.wordOovRate <= 0.01) return { tokenizer: 'word', reason: `only ${pct(p.wordOovRate)} of held-out words are unseen (a closed vocabulary of ${p.wordTypes} words): words` };
  if (p.digitShare >= 0.2) return { tokenizer: 'char', reason: `digits are ${pct(p.digitShare)} of the characters and ${pct(p.wordOovRate)} of held-out words are unseen: characters` };
  if (p.meanChars <= 12) return { tokenizer: 'char', reason: `lines average ${num(p.meanChars)} characters and ${pct(p.wordOovRate)} of held-out words are unseen: characters` };
  return { tokenizer: 'subword', reason: `natural-language text (${num(p.meanWords)} words per line, ${pct(p.wordOovRate)} of held-out words unseen): subword pieces learned from the training split` };
}

/**
 * The subword vocabulary for a side when `subwordVocabSize` is 0: about 8·√(word tokens),
 * at least the alphabet + 100 and at most half the word types + the alphabet (so frequent
 * words become one piece, rare ones split), capped at 8,000. Small corpora get small
 * vocabularies: each piece is then seen often enough to be learned (Sennrich & Zhang 2019).
 */
export function autoSubwordVocabSize(p: ProfiledSide): number {
  const scaled = Math.round(8 * Math.sqrt(p.wordTokens));
  const upper = Math.round(p.wordTypes / 2) + p.alphabetSize * 2;
  return Math.max(p.alphabetSize * 2 + 100, Math.min(scaled, upper, 8000));
}

/** Units of texts with their counts, for BPE training. */
function countUnits(texts: readonly string[], lowercase: boolean): Array<[Unit, number]> {
  const counts = new Map<string, [Unit, number]>();
  for (const raw of texts) {
    for (const unit of splitUnits(normalizeText(raw, lowercase), false)) {
      const key = (unit.whitespace ? 'w' : unit.marked ? '1' : '0') + unit.text;
      const entry = counts.get(key);
      if (entry) entry[1]++;
      else counts.set(key, [unit, 1]);
    }
  }
  return [...counts.values()];
}

/** Learns a subword tokenizer whose vocabulary (specials included) is about `vocabSize`. */
export function trainSubword(texts: readonly string[], vocabSize: number, lowercase: boolean): TokenizerSpec {
  const units = countUnits(texts, lowercase);
  const alphabet = new Set<string>();
  for (const [unit] of units) for (const symbol of initialSymbols(unit)) alphabet.add(symbol);
  const merges = trainBpe(units, { merges: Math.max(0, vocabSize - 4 - alphabet.size) });
  return { kind: 'subword', merges };
}

/**
 * The tokenizer of one side: the configured kind, or `auto`'s choice (with the task's choice
 * first when there is one), trained on `trainTexts` when it is `subword`.
 */
export function decideTokenizer(trainTexts: readonly string[], options: { configured: string; taskDefault?: string; lowercase: boolean; subwordVocabSize: number }): { tokenizer: Tokenizer; decision: TokenizerDecision } {
  const profile = profileSide(trainTexts, options.lowercase);
  const figures = figuresOf(profile);
  let kind: 'char' | 'word' | 'cjk' | 'subword';
  let reason: string;
  if (options.configured !== 'auto') {
    kind = options.configured as typeof kind;
    reason = 'set in the configuration';
  } else if (options.taskDefault) {
    kind = options.taskDefault as typeof kind;
    reason = 'the built-in task\'s tokenizer';
  } else {
    ({ tokenizer: kind, reason } = chooseTokenizer(profile));
  }
  const decision: TokenizerDecision = { tokenizer: kind, auto: options.configured === 'auto', reason, figures };
  if (kind !== 'subword') return { tokenizer: new Tokenizer({ kind }, options.lowercase), decision };
  const size = options.subwordVocabSize > 0 ? options.subwordVocabSize : autoSubwordVocabSize(profile);
  decision.subwordVocabSize = size;
  if (options.subwordVocabSize === 0) decision.reason += ` (vocabulary ${size}, scaled to ${profile.wordTokens} training words)`;
  return { tokenizer: new Tokenizer(trainSubword(trainTexts, size, options.lowercase), options.lowercase), decision };
}

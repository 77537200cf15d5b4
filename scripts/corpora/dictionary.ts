/**
 * Corpora from the CMU Pronouncing Dictionary (`cmu-pronouncing-dictionary`, a dependency):
 *
 * - g2p: English spelling → ARPAbet phonemes (`cat<TAB>K AE1 T`), the same word list as the
 *   engine's built-in `g2p` task, but written as a file so training goes through the file path;
 * - spelling: a misspelled word → the word (`recieve<TAB>receive`), one seeded typo per pair:
 *   a deletion, insertion, substitution or transposition of letters.
 */
import { makeRng, shuffleInPlace } from '../../src/engine/data/split';
import type { Pair } from './tsv';

/** Space-separated ARPAbet phonemes, vowels with a stress digit. */
const ARPABET = /^[A-Z]{1,2}[012]?(?: [A-Z]{1,2}[012]?)*$/;

/** Every plain a–z word (2+ letters) with its first pronunciation, in the dictionary's order. */
export function cmuPronunciations(): Pair[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { dictionary } = require('cmu-pronouncing-dictionary') as { dictionary: Record<string, string> };
  const pairs: Pair[] = [];
  for (const [word, entry] of Object.entries(dictionary)) {
    if (!/^[a-z]{2,}$/.test(word)) continue;
    const phones = entry.split('#')[0].trim().replace(/\s+/g, ' ');
    if (ARPABET.test(phones)) pairs.push({ source: word, target: phones });
  }
  return pairs;
}

export interface G2pOptions {
  /** Pairs (default 20,000, as the built-in task). */
  lines?: number;
  seed?: number | string;
}

/** A seeded sample of spelling → phonemes pairs. */
export function g2pCorpus(options: G2pOptions = {}): Pair[] {
  const { lines = 20_000, seed = 1 } = options;
  return shuffleInPlace(cmuPronunciations(), makeRng(`g2p:${seed}`)).slice(0, lines);
}

export type TypoKind = 'deletion' | 'insertion' | 'substitution' | 'transposition';
export const TYPO_KINDS: readonly TypoKind[] = ['deletion', 'insertion', 'substitution', 'transposition'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * `word` with one typo of `kind` at a position drawn from `rng`; always differs from `word`
 * (a transposition swaps two different neighbouring letters, a substitution or insertion picks
 * a letter that changes the word). Undefined when the word admits no such typo (a deletion
 * from a one-letter word, a transposition in "aaa").
 */
export function makeTypo(word: string, kind: TypoKind, rng: () => number): string | undefined {
  const pick = (n: number) => Math.floor(rng() * n);
  const letterOtherThan = (...avoid: string[]) => {
    const choices = [...LETTERS].filter(c => !avoid.includes(c));
    return choices[pick(choices.length)];
  };
  switch (kind) {
    case 'deletion': {
      if (word.length < 2) return undefined;
      const i = pick(word.length);
      return word.slice(0, i) + word.slice(i + 1);
    }
    case 'insertion': {
      const i = pick(word.length + 1);
      // A letter equal to a neighbour would read as doubling it: still a typo, but make it a different one.
      return word.slice(0, i) + letterOtherThan(word[i - 1] ?? '', word[i] ?? '') + word.slice(i);
    }
    case 'substitution': {
      const i = pick(word.length);
      return word.slice(0, i) + letterOtherThan(word[i]) + word.slice(i + 1);
    }
    case 'transposition': {
      const positions = [...word.slice(1)].map((_, i) => i).filter(i => word[i] !== word[i + 1]);
      if (!positions.length) return undefined;
      const i = positions[pick(positions.length)];
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    }
  }
}

export interface SpellingOptions {
  /** Pairs (default 10,000). */
  lines?: number;
  /** Word lengths kept (default 3–12 letters). */
  minLength?: number;
  maxLength?: number;
  seed?: number | string;
}

/**
 * Misspelled → correct pairs: distinct dictionary words in a seeded order, each with one typo
 * of a kind drawn uniformly. A typo that happens to spell a dictionary word, or a typo already
 * made of another word, is drawn again (it would have two right answers).
 */
export function spellingCorpus(options: SpellingOptions = {}): Pair[] {
  const { lines = 10_000, minLength = 3, maxLength = 12, seed = 1 } = options;
  const words = cmuPronunciations().map(p => p.source);
  const known = new Set(words);
  const candidates = shuffleInPlace(words.filter(w => w.length >= minLength && w.length <= maxLength), makeRng(`spelling-words:${seed}`));
  const rng = makeRng(`spelling-typos:${seed}`);
  const pairs: Pair[] = [];
  const typos = new Set<string>();
  for (const word of candidates) {
    if (pairs.length >= lines) break;
    for (let attempt = 0; attempt < 8; attempt++) {
      const typo = makeTypo(word, TYPO_KINDS[Math.floor(rng() * TYPO_KINDS.length)], rng);
      if (typo !== undefined && !known.has(typo) && !typos.has(typo)) {
        typos.add(typo);
        pairs.push({ source: typo, target: word });
        break;
      }
    }
  }
  return pairs;
}

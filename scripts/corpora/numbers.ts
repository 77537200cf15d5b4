/**
 * Numbers → English words: `22446<TAB>twenty two thousand four hundred forty six`.
 * Plain words only: no "and", no hyphens, no commas.
 */
import { makeRng } from '../../src/engine/data/split';
import type { Pair } from './tsv';

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES: Array<[number, string]> = [[1e9, 'billion'], [1e6, 'million'], [1e3, 'thousand']];

/** 1–999 in words (never "zero"). */
function belowThousand(n: number): string[] {
  const words: string[] = [];
  if (n >= 100) {
    words.push(ONES[Math.floor(n / 100)], 'hundred');
    n %= 100;
  }
  if (n >= 20) {
    words.push(TENS[Math.floor(n / 10)]);
    n %= 10;
  }
  if (n > 0) words.push(ONES[n]);
  return words;
}

/** A non-negative integer below 10^12 in English words: 1010 → "one thousand ten". */
export function numberToWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1e12) throw new RangeError(`numberToWords: ${n} is not an integer in 0 … 999,999,999,999`);
  if (n === 0) return 'zero';
  const words: string[] = [];
  let rest = n;
  for (const [scale, name] of SCALES) {
    if (rest >= scale) {
      words.push(...belowThousand(Math.floor(rest / scale)), name);
      rest %= scale;
    }
  }
  if (rest > 0) words.push(...belowThousand(rest));
  return words.join(' ');
}

export interface NumbersOptions {
  /** How many lines (default 4,000). */
  lines?: number;
  /** Numbers are drawn uniformly from 0 … max (default 99,999). */
  max?: number;
  /** Draw without repeats (needs lines ≤ max + 1); default false: independent uniform draws. */
  distinct?: boolean;
  seed?: number | string;
}

/** `lines` seeded uniform draws from 0 … max, each with its words. */
export function numbersCorpus(options: NumbersOptions = {}): Pair[] {
  const { lines = 4000, max = 99_999, distinct = false, seed = 1 } = options;
  if (distinct && lines > max + 1) throw new RangeError(`numbersCorpus: ${lines} distinct numbers do not fit in 0 … ${max}`);
  const rng = makeRng(`numbers:${seed}`);
  const seen = new Set<number>();
  const pairs: Pair[] = [];
  while (pairs.length < lines) {
    const n = Math.floor(rng() * (max + 1));
    if (distinct) {
      if (seen.has(n)) continue;
      seen.add(n);
    }
    pairs.push({ source: String(n), target: numberToWords(n) });
  }
  return pairs;
}

/**
 * chrF (Popović, 2015) and chrF++ (Popović, 2017), a port of sacreBLEU 2.x
 * (`sacrebleu/metrics/chrf.py`) so that scores and signatures match `sacrebleu.corpus_chrf`.
 */
import { bump, codePoints, pyRemoveWhitespace, pySplit } from './pyText';
import { segmentReferences } from './references';
import { formatSignature } from './signature';

/** Options of {@link corpusChrf}; defaults are sacreBLEU's `CHRF()` defaults. */
export interface ChrfOptions {
  /** Character n-gram order. Default 6. */
  charOrder?: number;
  /** Word n-gram order; 2 gives chrF++. Default 0. */
  wordOrder?: number;
  /** Recall weight of the F-score. Default 2. */
  beta?: number;
  /** Lowercase before extracting n-grams. Default false. */
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams. Default false (whitespace removed). */
  whitespace?: boolean;
  /**
   * true: chrF++.py/NLTK/Moses style, average the per-order F-scores with 1e-16 for empty
   * orders. false (sacreBLEU's default): average precision and recall over the orders both
   * sides have, then one F-score (signature `eff:yes`).
   */
  epsSmoothing?: boolean;
}

/** A chrF score on sacreBLEU's 0-100 scale with its signature. */
export interface ChrfResult {
  score: number;
  /** e.g. `nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.4.0`. */
  signature: string;
}

/** `string.punctuation`, which chrF++ splits off word edges. */
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/** sacreBLEU's `_remove_punctuation`: split one leading or trailing punctuation mark off each word. */
function chrfWords(sent: string): string[] {
  const words: string[] = [];
  for (const word of pySplit(sent)) {
    const chars = codePoints(word);
    if (chars.length === 1) {
      words.push(word);
    } else if (PUNCTUATION.has(chars[chars.length - 1])) {
      // Only one mark is split, so "(hi)" becomes "(hi" and ")" exactly as in sacreBLEU (#124).
      words.push(chars.slice(0, -1).join(''), chars[chars.length - 1]);
    } else if (PUNCTUATION.has(chars[0])) {
      words.push(chars[0], chars.slice(1).join(''));
    } else {
      words.push(word);
    }
  }
  return words;
}

/** n-gram multisets for every order: character orders first, then word orders. */
function allNgrams(sent: string, charOrder: number, wordOrder: number, whitespace: boolean): Array<Map<string, number>> {
  const chars = codePoints(whitespace ? sent : pyRemoveWhitespace(sent));
  const orders: Array<Map<string, number>> = [];
  for (let n = 1; n <= charOrder; n++) {
    const counts = new Map<string, number>();
    for (let i = 0; i + n <= chars.length; i++) bump(counts, chars.slice(i, i + n).join(''));
    orders.push(counts);
  }
  if (wordOrder > 0) {
    const words = chrfWords(sent);
    for (let n = 1; n <= wordOrder; n++) {
      const counts = new Map<string, number>();
      for (let i = 0; i + n <= words.length; i++) bump(counts, words.slice(i, i + n).join(' '));
      orders.push(counts);
    }
  }
  return orders;
}

/** [hypothesis n-grams, reference n-grams, matches] for one order (`_get_match_statistics`). */
function matchStatistics(hyp: Map<string, number>, ref: Map<string, number>): [number, number, number] {
  let hypCount = 0;
  let matches = 0;
  for (const [ngram, count] of hyp) {
    hypCount += count;
    matches += Math.min(count, ref.get(ngram) ?? 0);
  }
  let refCount = 0;
  for (const count of ref.values()) refCount += count;
  // sacreBLEU does not count hypothesis n-grams of an order the reference lacks entirely.
  return [ref.size > 0 ? hypCount : 0, refCount, matches];
}

/** sacreBLEU's `_compute_f_score` over flattened [hyp, ref, match] triples; 0-100. */
function fScore(stats: readonly number[], beta: number, epsSmoothing: boolean): number {
  const eps = 1e-16;
  const order = stats.length / 3;
  const factor = beta ** 2;
  let score = 0;
  let effectiveOrder = 0;
  let avgPrec = 0;
  let avgRec = 0;
  for (let i = 0; i < order; i++) {
    const [nHyp, nRef, nMatch] = stats.slice(3 * i, 3 * i + 3);
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effectiveOrder++;
    }
  }
  if (epsSmoothing) return (100 * score) / order;
  if (effectiveOrder === 0) return 0;
  avgPrec /= effectiveOrder;
  avgRec /= effectiveOrder;
  if (avgPrec + avgRec === 0) return 0;
  return (100 * (1 + factor) * avgPrec * avgRec) / (factor * avgPrec + avgRec);
}

/**
 * Corpus chrF as `sacrebleu.corpus_chrf(hypotheses, references, ...)`: per segment, the
 * statistics of the best-scoring reference are kept; statistics are summed over the corpus and
 * turned into one F-score (not an average of sentence scores).
 *
 * @param references `references[k][i]` is the k-th reference of segment i (sacreBLEU layout).
 * @throws Error on mismatched stream lengths, no reference stream, or invalid orders.
 */
export function corpusChrf(hypotheses: readonly string[], references: ReadonlyArray<ReadonlyArray<string>>, options: ChrfOptions = {}): ChrfResult {
  const charOrder = options.charOrder ?? 6;
  const wordOrder = options.wordOrder ?? 0;
  const beta = options.beta ?? 2;
  const lowercase = options.lowercase ?? false;
  const whitespace = options.whitespace ?? false;
  const epsSmoothing = options.epsSmoothing ?? false;
  for (const [name, value] of [['charOrder', charOrder], ['wordOrder', wordOrder]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`chrF: ${name} must be a non-negative integer, got ${value}`);
  }
  if (charOrder + wordOrder === 0) throw new Error('chrF: charOrder + wordOrder must be at least 1');
  const preprocess = (sent: string): string => (lowercase ? sent.toLowerCase() : sent);
  const extract = (sent: string): Array<Map<string, number>> => allNgrams(preprocess(sent), charOrder, wordOrder, whitespace);

  const { perSegment, numRefs } = segmentReferences('chrF', hypotheses.length, references);
  const corpus = new Array<number>(3 * (charOrder + wordOrder)).fill(0);
  hypotheses.forEach((hypothesis, i) => {
    const hypNgrams = extract(hypothesis);
    let best: number[] = [];
    let bestF = -1;
    for (const ref of perSegment[i]) {
      const refNgrams = extract(ref);
      const stats = hypNgrams.flatMap((h, order) => matchStatistics(h, refNgrams[order]));
      const f = fScore(stats, beta, epsSmoothing);
      // Strictly greater: the first of equally good references wins, as in sacreBLEU.
      if (f > bestF) {
        bestF = f;
        best = stats;
      }
    }
    best.forEach((value, j) => (corpus[j] += value));
  });

  const signature = formatSignature(numRefs, [
    ['case', lowercase ? 'lc' : 'mixed'],
    ['eff', epsSmoothing ? 'no' : 'yes'],
    ['nc', charOrder],
    ['nw', wordOrder],
    ['space', whitespace ? 'yes' : 'no'],
  ]);
  return { score: fScore(corpus, beta, epsSmoothing), signature };
}

/** Sentence chrF as `sacrebleu.sentence_chrf(hypothesis, references, ...)`. */
export function sentenceChrf(hypothesis: string, references: readonly string[], options: ChrfOptions = {}): ChrfResult {
  return corpusChrf([hypothesis], references.map(ref => [ref]), options);
}

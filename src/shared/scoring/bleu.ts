/**
 * Corpus and sentence BLEU (Papineni et al., 2002), a line-by-line port of sacreBLEU 2.x
 * (`sacrebleu/metrics/bleu.py`) so that scores, statistics and signatures match
 * `sacrebleu.corpus_bleu` / `sacrebleu.sentence_bleu`.
 */
import { bump, pyRstrip, pySplit } from './pyText';
import { segmentReferences } from './references';
import { formatSignature } from './signature';
import { bleuTokenizer, BleuTokenizerName } from './tokenize13a';

export { tokenize13a, tokenizeChar } from './tokenize13a';
export type { BleuTokenizerName } from './tokenize13a';

/** Smoothing methods from Chen & Cherry (2014), as named by sacreBLEU. */
export type BleuSmoothMethod = 'exp' | 'floor' | 'add-k' | 'none';

/** sacreBLEU's `MAX_NGRAM_ORDER`. */
export const BLEU_MAX_NGRAM_ORDER = 4;

/** Default smoothing values (sacreBLEU's `BLEU.SMOOTH_DEFAULTS`); undefined = takes no value. */
const SMOOTH_DEFAULTS: Readonly<Record<BleuSmoothMethod, number | undefined>> = {
  none: undefined,
  floor: 0.1,
  'add-k': 1,
  exp: undefined,
};

/** sacreBLEU's `my_log` floor for log(0), so a zero precision drives the score to exactly 0. */
const LOG_ZERO = -9999999999;

/** Options of {@link corpusBleu} and {@link sentenceBleu}; defaults are sacreBLEU's. */
export interface BleuOptions {
  /** Default `'exp'` (NIST / mteval-v13a smoothing). */
  smoothMethod?: BleuSmoothMethod;
  /** Value for `floor` (default 0.1) and `add-k` (default 1); ignored by the others. */
  smoothValue?: number;
  /** Default `'13a'`. `'char'` is sacreBLEU's character tokenizer. */
  tokenize?: BleuTokenizerName;
  /** Lowercase hypotheses and references before tokenizing. Default false. */
  lowercase?: boolean;
  /**
   * Average only over n-gram orders the hypothesis has (stop at the first order with no
   * hypothesis n-grams). Default false for corpus BLEU, true for sentence BLEU.
   */
  effectiveOrder?: boolean;
  /** Highest n-gram order. Default 4. */
  maxNgramOrder?: number;
}

/** A BLEU score with its sufficient statistics, mirroring sacreBLEU's `BLEUScore`. */
export interface BleuResult {
  /** BLEU on sacreBLEU's 0-100 scale. */
  score: number;
  /** Clipped n-gram matches per order (after `add-k` smoothing, as sacreBLEU reports them). */
  counts: number[];
  /** Hypothesis n-grams per order (after `add-k` smoothing, as sacreBLEU reports them). */
  totals: number[];
  /** Smoothed n-gram precisions per order, 0-100. */
  precisions: number[];
  /** Brevity penalty. */
  bp: number;
  /** Total hypothesis tokens. */
  sysLen: number;
  /** Total closest-reference tokens. */
  refLen: number;
  /** sacreBLEU 2.x signature, e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0`. */
  signature: string;
}

/** Options of {@link computeBleu}; note sacreBLEU's `compute_bleu` defaults to no smoothing. */
export interface BleuStatisticsOptions {
  smoothMethod?: BleuSmoothMethod;
  smoothValue?: number;
  effectiveOrder?: boolean;
  maxNgramOrder?: number;
}

/**
 * BLEU from aggregated statistics (sacreBLEU's static `BLEU.compute_bleu`). Useful to combine
 * statistics gathered elsewhere; defaults are that function's (`smoothMethod: 'none'`).
 *
 * @param correct Matched n-grams per order. Not modified.
 * @param total Hypothesis n-grams per order. Not modified.
 */
export function computeBleu(correct: readonly number[], total: readonly number[], sysLen: number, refLen: number, options: BleuStatisticsOptions = {}): Omit<BleuResult, 'signature'> {
  const method = options.smoothMethod ?? 'none';
  const maxOrder = options.maxNgramOrder ?? BLEU_MAX_NGRAM_ORDER;
  const smoothValue = options.smoothValue ?? SMOOTH_DEFAULTS[method] ?? 0;
  const counts = correct.slice(0, maxOrder);
  const totals = total.slice(0, maxOrder);

  let bp = 1.0;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0;

  const precisions = new Array<number>(maxOrder).fill(0);
  const base = { counts, totals, precisions, bp, sysLen, refLen };
  // No matches at all: score 0 without smoothing (sacreBLEU issue #141).
  if (!counts.some(c => c !== 0)) return { score: 0.0, ...base };

  let smoothMteval = 1.0;
  let effOrder = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (method === 'add-k' && n > 1) {
      counts[n - 1] += smoothValue;
      totals[n - 1] += smoothValue;
    }
    if (totals[n - 1] === 0) break;
    if (options.effectiveOrder) effOrder = n;
    if (counts[n - 1] === 0) {
      if (method === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * totals[n - 1]);
      } else if (method === 'floor') {
        precisions[n - 1] = (100 * smoothValue) / totals[n - 1];
      }
    } else {
      precisions[n - 1] = (100 * counts[n - 1]) / totals[n - 1];
    }
  }
  let logSum = 0;
  for (const p of precisions.slice(0, effOrder)) logSum += p === 0 ? LOG_ZERO : Math.log(p);
  return { score: bp * Math.exp(logSum / effOrder), ...base };
}

/** sacreBLEU's `_get_closest_ref_len`: nearest reference length, the shorter one on ties. */
function closestRefLength(hypLen: number, refLens: readonly number[]): number {
  let closestDiff = -1;
  let closestLen = -1;
  for (const refLen of refLens) {
    const diff = Math.abs(hypLen - refLen);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closestLen = refLen;
    } else if (diff === closestDiff && refLen < closestLen) {
      closestLen = refLen;
    }
  }
  return closestLen;
}

/**
 * All word n-grams of orders 1..maxOrder. Keys join tokens with a space, which cannot be
 * ambiguous because whitespace splitting leaves no spaces inside tokens.
 */
function wordNgrams(tokens: readonly string[], maxOrder: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let n = 1; n <= maxOrder; n++) {
    for (let i = 0; i + n <= tokens.length; i++) bump(counts, tokens.slice(i, i + n).join(' '));
  }
  return counts;
}

/**
 * Corpus BLEU exactly as `sacrebleu.corpus_bleu(hypotheses, references, ...)` computes it:
 * per-segment clipped n-gram counts against the union (max counts) of that segment's
 * references, the closest reference length for the brevity penalty, everything summed over
 * the corpus before the geometric mean.
 *
 * @param hypotheses One detokenized string per segment.
 * @param references `references[k][i]` is the k-th reference of segment i (sacreBLEU layout).
 *   Empty reference strings are ignored, so segments may have different reference counts.
 * @throws Error on mismatched stream lengths or when no reference stream is given.
 */
export function corpusBleu(hypotheses: readonly string[], references: ReadonlyArray<ReadonlyArray<string>>, options: BleuOptions = {}): BleuResult {
  const method = options.smoothMethod ?? 'exp';
  if (!(method in SMOOTH_DEFAULTS)) throw new Error(`BLEU: unknown smoothing method '${method}'`);
  const tokenizerName = options.tokenize ?? '13a';
  const tokenizer = bleuTokenizer(tokenizerName);
  const maxOrder = options.maxNgramOrder ?? BLEU_MAX_NGRAM_ORDER;
  if (!Number.isInteger(maxOrder) || maxOrder < 1) throw new Error(`BLEU: maxNgramOrder must be a positive integer, got ${maxOrder}`);
  const lowercase = options.lowercase ?? false;
  const effectiveOrder = options.effectiveOrder ?? false;
  // sacreBLEU's `_preprocess_segment`: lowercase, right-strip, tokenize.
  const preprocess = (sent: string): string[] => pySplit(tokenizer(pyRstrip(lowercase ? sent.toLowerCase() : sent)));

  const { perSegment, numRefs } = segmentReferences('BLEU', hypotheses.length, references);
  const correct = new Array<number>(maxOrder).fill(0);
  const total = new Array<number>(maxOrder).fill(0);
  let sysLen = 0;
  let refLen = 0;
  hypotheses.forEach((hypothesis, i) => {
    const refNgrams = new Map<string, number>();
    const refLens: number[] = [];
    for (const ref of perSegment[i]) {
      const tokens = preprocess(ref);
      refLens.push(tokens.length);
      for (const [ngram, count] of wordNgrams(tokens, maxOrder)) refNgrams.set(ngram, Math.max(refNgrams.get(ngram) ?? 0, count));
    }
    const hypTokens = preprocess(hypothesis);
    sysLen += hypTokens.length;
    refLen += closestRefLength(hypTokens.length, refLens);
    for (const [ngram, count] of wordNgrams(hypTokens, maxOrder)) {
      const n = ngram.split(' ').length;
      total[n - 1] += count;
      correct[n - 1] += Math.min(count, refNgrams.get(ngram) ?? 0);
    }
  });

  const stats = computeBleu(correct, total, sysLen, refLen, { smoothMethod: method, smoothValue: options.smoothValue, effectiveOrder, maxNgramOrder: maxOrder });
  const smoothDefault = SMOOTH_DEFAULTS[method];
  const smooth = smoothDefault === undefined ? method : `${method}[${(options.smoothValue ?? smoothDefault).toFixed(2)}]`;
  const signature = formatSignature(numRefs, [
    ['case', lowercase ? 'lc' : 'mixed'],
    ['eff', effectiveOrder ? 'yes' : 'no'],
    ['tok', tokenizerName],
    ['smooth', smooth],
  ]);
  return { ...stats, signature };
}

/**
 * Sentence-level BLEU as `sacrebleu.sentence_bleu(hypothesis, references)`: corpus BLEU of a
 * one-segment corpus with effective order on by default (short sentences would otherwise score 0).
 *
 * @param references All references of this one sentence.
 */
export function sentenceBleu(hypothesis: string, references: readonly string[], options: BleuOptions = {}): BleuResult {
  return corpusBleu([hypothesis], references.map(ref => [ref]), { ...options, effectiveOrder: options.effectiveOrder ?? true });
}

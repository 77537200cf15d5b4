/**
 * Small corpus metrics that need no tokenizer conventions: exact match, position-wise token
 * accuracy, perplexity and Levenshtein distance.
 */

function checkSameLength(metric: string, a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) throw new Error(`${metric}: ${a.length} hypotheses but ${b.length} references`);
}

/**
 * A segment's reference: one string, or every acceptable one (a source that appears with
 * several targets, e.g. a word with two pronunciations). With several, a hypothesis is scored
 * against the reference it is closest to, as the usual multi-reference g2p protocol does.
 */
export type SegmentReference = string | readonly string[];

function alternatives(ref: SegmentReference): readonly string[] {
  return typeof ref === 'string' ? [ref] : ref.length > 0 ? ref : [''];
}

/**
 * Fraction (0-1) of hypotheses identical to their reference (to any of them, with several).
 * Strings are compared as given, so callers decide on normalisation (case, whitespace). An
 * empty corpus scores 0.
 *
 * @throws Error when the two lists differ in length.
 */
export function exactMatch(hyps: readonly string[], refs: readonly SegmentReference[]): number {
  checkSameLength('exactMatch', hyps, refs);
  if (hyps.length === 0) return 0;
  let hits = 0;
  hyps.forEach((hyp, i) => {
    if (alternatives(refs[i]).includes(hyp)) hits++;
  });
  return hits / hyps.length;
}

/**
 * Position-wise token accuracy over a corpus: the number of positions j where
 * `hypTokens[i][j] === refTokens[i][j]`, divided by the total number of reference tokens.
 * Reference positions past the end of a hypothesis count as wrong (a too-short output is
 * penalised); hypothesis tokens past the end of the reference are not counted at all, so
 * over-long outputs are only penalised through exact match and BLEU's brevity/precision terms.
 * No alignment is done: one inserted token shifts and spoils every later position, which is
 * intended for a teacher-forcing-style "did it emit the right token at step j" diagnostic.
 * Returns 0 when there are no reference tokens.
 *
 * @throws Error when the two lists differ in length.
 */
export function tokenAccuracy(hypTokens: ReadonlyArray<readonly string[]>, refTokens: ReadonlyArray<readonly string[]>): number {
  checkSameLength('tokenAccuracy', hypTokens, refTokens);
  let correct = 0;
  let total = 0;
  refTokens.forEach((ref, i) => {
    const hyp = hypTokens[i];
    total += ref.length;
    for (let j = 0; j < ref.length && j < hyp.length; j++) if (hyp[j] === ref[j]) correct++;
  });
  return total === 0 ? 0 : correct / total;
}

/**
 * Perplexity `exp(totalNegLogLikelihood / tokenCount)` from a summed natural-log NLL.
 * Zero tokens with zero NLL (an empty evaluation set) gives 1, matching a mean loss of 0, so
 * callers need no special case; may return Infinity when the mean NLL is above ~709.
 *
 * @throws RangeError for a negative or non-finite NLL, a negative token count, or a positive
 *   NLL over zero tokens.
 */
export function perplexity(totalNegLogLikelihood: number, tokenCount: number): number {
  if (!(totalNegLogLikelihood >= 0) || !Number.isFinite(totalNegLogLikelihood)) {
    throw new RangeError(`perplexity: negative log-likelihood must be finite and >= 0, got ${totalNegLogLikelihood}`);
  }
  if (!(tokenCount >= 0)) throw new RangeError(`perplexity: token count must be >= 0, got ${tokenCount}`);
  if (tokenCount === 0) {
    if (totalNegLogLikelihood === 0) return 1;
    throw new RangeError(`perplexity: got negative log-likelihood ${totalNegLogLikelihood} over zero tokens`);
  }
  return Math.exp(totalNegLogLikelihood / tokenCount);
}

/**
 * Corpus error rate: the summed edit distance between hypotheses and references over the
 * summed reference lengths, in characters (code points; CER) or space-separated words (WER;
 * for a phoneme sequence, the PER). Can exceed 1 when outputs are much longer than references.
 * An empty reference corpus scores 0 when every hypothesis is empty too, else 1.
 * A segment with several references counts the one nearest to its hypothesis (fewest edits;
 * the first of equals), distance and length both.
 *
 * @throws Error when the two lists differ in length.
 */
export function errorRate(hyps: readonly string[], refs: readonly SegmentReference[], unit: 'char' | 'word'): number {
  checkSameLength('errorRate', hyps, refs);
  const split = (text: string) => (unit === 'char' ? Array.from(text) : text.split(/\s+/u).filter(w => w.length > 0));
  let distance = 0;
  let length = 0;
  hyps.forEach((hyp, i) => {
    const h = split(hyp);
    let nearest: { distance: number; length: number } | undefined;
    for (const ref of alternatives(refs[i])) {
      const r = split(ref);
      const d = editDistance(h, r);
      if (!nearest || d < nearest.distance) nearest = { distance: d, length: r.length };
    }
    distance += nearest!.distance;
    length += nearest!.length;
  });
  if (length === 0) return distance === 0 ? 0 : 1;
  return distance / length;
}

/**
 * Levenshtein distance (unit-cost insertions, deletions and substitutions) between two
 * sequences, comparing elements with `===`. O(|a|·|b|) time, O(|b|) memory.
 */
export function editDistance<T>(a: readonly T[], b: readonly T[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

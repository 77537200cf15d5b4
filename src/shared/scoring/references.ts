/**
 * Reference-stream handling shared by BLEU and chrF, following sacreBLEU's
 * `Metric._cache_references`.
 */
import { describeRefCounts } from './signature';

/** The references of each segment plus the `nrefs` value for the signature. */
export interface SegmentReferences {
  perSegment: string[][];
  numRefs: number | 'var';
}

/**
 * Transposes sacreBLEU-layout references (`references[k][i]` = k-th stream, i-th segment) into
 * per-segment lists. Like sacreBLEU, empty reference strings are dropped so a segment may have
 * fewer references than there are streams (signature then says `nrefs:var`).
 *
 * One deliberate difference: sacreBLEU raises when *all* references of a segment are empty.
 * We keep a single empty reference instead, which scores that segment as having nothing to
 * match, because one blank line in a user's dataset should not abort a training run. Scores
 * are identical to sacreBLEU whenever sacreBLEU produces one.
 *
 * @throws Error when there are no streams or a stream's length differs from the hypotheses'.
 */
export function segmentReferences(metric: string, numHypotheses: number, references: ReadonlyArray<ReadonlyArray<string>>): SegmentReferences {
  if (references.length === 0) throw new Error(`${metric}: no reference streams given`);
  references.forEach((stream, k) => {
    // sacreBLEU's zip() would silently truncate; a length mismatch is always a caller bug.
    if (stream.length !== numHypotheses) {
      throw new Error(`${metric}: reference stream ${k} has ${stream.length} segments but there are ${numHypotheses} hypotheses`);
    }
  });
  const counts = new Set<number>();
  const perSegment: string[][] = [];
  for (let i = 0; i < numHypotheses; i++) {
    const refs = references.map(stream => stream[i]).filter(ref => ref !== '');
    const used = refs.length > 0 ? refs : [''];
    counts.add(used.length);
    perSegment.push(used);
  }
  // An empty corpus still reports how many streams it was given.
  return { perSegment, numRefs: numHypotheses === 0 ? references.length : describeRefCounts(counts) };
}

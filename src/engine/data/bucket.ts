/** Length bucketing: batches of similar lengths, so padding costs little compute. */

/**
 * Sorts indices by length (ties broken randomly), cuts them into batches of `batchSize` (the
 * last may be smaller) and shuffles the batch order. Every index appears exactly once.
 */
export function bucketBatches(lengths: number[], batchSize: number, rng: () => number): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a whole number ≥ 1 (got ${batchSize})`);
  const jitter = lengths.map(() => rng());
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || jitter[a] - jitter[b]);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  for (let i = batches.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [batches[i], batches[j]] = [batches[j], batches[i]];
  }
  return batches;
}

/**
 * Which tokenized pairs fit the length limits. Returns the indices kept (in order) and how
 * many were left out, so callers can report the number instead of dropping pairs silently.
 */
export function filterByLength(pairs: Array<{ source: unknown[]; target: unknown[] }>, maxSource: number, maxTarget: number): { kept: number[]; dropped: number } {
  const kept: number[] = [];
  pairs.forEach((p, i) => {
    if (p.source.length <= maxSource && p.target.length <= maxTarget) kept.push(i);
  });
  return { kept, dropped: pairs.length - kept.length };
}

/** Seeded randomness, shuffling and the train / valid / test split. */
import seedrandom from 'seedrandom';

/** A seeded uniform [0, 1) generator: the same seed gives the same sequence on every platform. */
export function makeRng(seed: number | string): () => number {
  return seedrandom(String(seed));
}

/** Fisher–Yates shuffle of `array` itself; returns it for chaining. */
export function shuffleInPlace<T>(array: T[], rng: () => number): T[] {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [array[i], array[j]] = [array[j], array[i]];
  }
  return array;
}

/**
 * Shuffles a copy (seeded) and cuts it into train / valid / test. Deterministic for a seed;
 * the three parts are disjoint and together hold every item. Valid and test each get at least
 * one item when their fraction is > 0 and there are ≥ 3 items, and train keeps at least one.
 */
export function splitPairs<T>(items: T[], validFraction: number, testFraction: number, seed: number): { train: T[]; valid: T[]; test: T[] } {
  // A seed namespace of its own, so the split does not correlate with other uses of the seed.
  const shuffled = shuffleInPlace(items.slice(), makeRng(`split:${seed}`));
  const n = shuffled.length;
  const count = (fraction: number) => {
    const rounded = Math.round(n * fraction);
    return fraction > 0 && n >= 3 ? Math.max(1, rounded) : rounded;
  };
  let validCount = count(validFraction);
  let testCount = count(testFraction);
  // Large fractions on tiny inputs could leave nothing to train on: take it back from the larger part.
  while (n >= 3 && validCount + testCount > n - 1) {
    if (validCount >= testCount && validCount > (validFraction > 0 ? 1 : 0)) validCount--;
    else if (testCount > (testFraction > 0 ? 1 : 0)) testCount--;
    else break;
  }
  validCount = Math.min(validCount, n);
  testCount = Math.min(testCount, n - validCount);
  return {
    valid: shuffled.slice(0, validCount),
    test: shuffled.slice(validCount, validCount + testCount),
    train: shuffled.slice(validCount + testCount),
  };
}

/**
 * `splitPairs` over groups of items that share a key (the pairs of one source text): a source
 * with several targets lands in one split with all of them, so validation and test never
 * score a source the model was trained on. Groups keep the order of their first item and
 * items their order within a group. Without repeated keys this is exactly `splitPairs`.
 */
export function splitGroups<T>(items: T[], key: (item: T) => string, validFraction: number, testFraction: number, seed: number): { train: T[][]; valid: T[][]; test: T[][] } {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return splitPairs([...groups.values()], validFraction, testFraction, seed);
}

/** Seeded randomness, shuffling and the train / valid / test split. */
import seedrandom from 'seedrandom';

export function makeRng(seed: number | string): () => number {
  return seedrandom(String(seed));
}

/** Fisher–Yates. */
export function shuffleInPlace<T>(array: T[], rng: () => number): T[] {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [array[i], array[j]] = [array[j], array[i]];
  }
  return array;
}

/** Deterministic for a seed; valid and test get at least one item when their fraction > 0 and there are ≥ 3 items. */
export function splitPairs<T>(items: T[], validFraction: number, testFraction: number, seed: number): { train: T[]; valid: T[]; test: T[] } {
  const shuffled = shuffleInPlace(items.slice(), makeRng(`split:${seed}`));
  const n = shuffled.length;
  const atLeastOne = (fraction: number) => (fraction > 0 && n >= 3 ? Math.max(1, Math.round(n * fraction)) : Math.round(n * fraction));
  const validCount = atLeastOne(validFraction);
  const testCount = atLeastOne(testFraction);
  return {
    valid: shuffled.slice(0, validCount),
    test: shuffled.slice(validCount, validCount + testCount),
    train: shuffled.slice(validCount + testCount),
  };
}

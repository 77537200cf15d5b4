/**
 * Byte-pair encoding over characters (Sennrich, Haddow, Birch 2016, "Neural Machine
 * Translation of Rare Words with Subword Units"), trained on the training split only.
 *
 * Why by hand: the npm registry has no maintained pure-JS library that *trains* BPE or a
 * unigram model (`@huggingface/tokenizers` encodes only; `tokenizers` is a native addon that
 * would tie the .vsix to one platform), and exact reversibility needs our own spacing rule
 * (tokenize.ts). The algorithm is small; bpe.test.ts checks it against merges worked by hand.
 *
 * Units come from tokenize.ts's pre-tokenizer: letter runs (with their ▁ space marker fused to
 * the first character, so a piece that starts with ▁ always starts a word), single
 * punctuation characters, whitespace runs. Merges never cross units; whitespace runs and
 * single characters stay whole.
 *
 * Training: repeatedly merge the most frequent adjacent pair of symbols, counting each distinct
 * unit with its frequency; ties go to the pair whose symbols sort first (so training is
 * deterministic: the same text gives the same merges, whatever the seed or Map order). Stops
 * after `merges` merges or when no pair occurs at least `minFrequency` times.
 * Encoding: a unit's characters, then the applicable merge of lowest rank, all its
 * occurrences left to right, until none applies (the standard greedy application).
 */
import { SPACE_MARK, Unit } from './units';

/** The starting symbols of a unit: its characters, the first one carrying the ▁ marker. */
export function initialSymbols(unit: Unit): string[] {
  if (unit.whitespace) return [unit.text];
  const chars = Array.from(unit.text);
  if (unit.marked) chars[0] = SPACE_MARK + chars[0];
  return chars;
}

const pairKeyOf = (a: string, b: string) => `${a}\u0000${b}`;

/** A trained BPE model: its merges in rank order, applied to units. */
export class BpeModel {
  private readonly ranks = new Map<string, number>();
  private readonly cache = new Map<string, string[]>();

  constructor(readonly merges: ReadonlyArray<readonly [string, string]>) {
    merges.forEach(([a, b], rank) => {
      const key = pairKeyOf(a, b);
      if (!this.ranks.has(key)) this.ranks.set(key, rank);
    });
  }

  /** The pieces of one unit. */
  encodeUnit(unit: Unit): string[] {
    if (unit.whitespace) return [unit.text];
    const cacheKey = (unit.marked ? '1' : '0') + unit.text;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    let symbols = initialSymbols(unit);
    while (symbols.length > 1) {
      let bestRank = Infinity;
      let bestKey = '';
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = pairKeyOf(symbols[i], symbols[i + 1]);
        const rank = this.ranks.get(key);
        if (rank !== undefined && rank < bestRank) [bestRank, bestKey] = [rank, key];
      }
      if (bestRank === Infinity) break;
      const [a, b] = this.merges[bestRank];
      const merged: string[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b && pairKeyOf(a, b) === bestKey) {
          merged.push(a + b);
          i++;
        } else {
          merged.push(symbols[i]);
        }
      }
      symbols = merged;
    }
    if (this.cache.size < 200_000) this.cache.set(cacheKey, symbols);
    return symbols;
  }
}

/** A max-heap of candidate pairs; stale entries are skipped when popped. */
class PairHeap {
  private readonly items: Array<{ count: number; a: string; b: string; key: number }> = [];

  constructor(private readonly before: (x: { count: number; a: string; b: string }, y: { count: number; a: string; b: string }) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  push(item: { count: number; a: string; b: string; key: number }): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): { count: number; a: string; b: string; key: number } | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && this.before(items[l], items[best])) best = l;
        if (r < items.length && this.before(items[r], items[best])) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best], items[i]];
        i = best;
      }
    }
    return top;
  }
}

export interface BpeTrainingOptions {
  /** Most merges to learn. */
  merges: number;
  /** A pair must occur at least this often to be merged (default 2). */
  minFrequency?: number;
}

/**
 * Learns merges from units and their counts (whitespace units are ignored: they never merge).
 * Returns the merges in the order learned (= rank).
 */
export function trainBpe(units: Iterable<[Unit, number]>, options: BpeTrainingOptions): Array<[string, string]> {
  const minFrequency = options.minFrequency ?? 2;
  const symbolIds = new Map<string, number>();
  const symbolText: string[] = [];
  const intern = (s: string) => {
    let id = symbolIds.get(s);
    if (id === undefined) {
      id = symbolText.length;
      symbolIds.set(s, id);
      symbolText.push(s);
    }
    return id;
  };
  const words: Array<{ symbols: number[]; count: number }> = [];
  const byForm = new Map<string, number>();
  for (const [unit, count] of units) {
    if (unit.whitespace || count <= 0) continue;
    const form = (unit.marked ? '1' : '0') + unit.text;
    const existing = byForm.get(form);
    if (existing !== undefined) {
      words[existing].count += count;
      continue;
    }
    const symbols = initialSymbols(unit).map(intern);
    if (symbols.length < 2) continue;
    byForm.set(form, words.length);
    words.push({ symbols, count });
  }

  const SHIFT = 2 ** 21; // symbol ids stay below 2^21, so a * 2^21 + b is an exact double
  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const addPair = (a: number, b: number, count: number, word: number) => {
    const key = a * SHIFT + b;
    pairCounts.set(key, (pairCounts.get(key) ?? 0) + count);
    let set = pairWords.get(key);
    if (!set) pairWords.set(key, (set = new Set()));
    set.add(word);
    return key;
  };
  words.forEach((word, w) => {
    for (let i = 0; i + 1 < word.symbols.length; i++) addPair(word.symbols[i], word.symbols[i + 1], word.count, w);
  });
  const heap = new PairHeap((x, y) => x.count > y.count || (x.count === y.count && (x.a < y.a || (x.a === y.a && x.b < y.b))));
  const pushPair = (key: number) => {
    const count = pairCounts.get(key) ?? 0;
    if (count >= minFrequency) heap.push({ count, a: symbolText[Math.floor(key / SHIFT)], b: symbolText[key % SHIFT], key });
  };
  for (const key of pairCounts.keys()) pushPair(key);

  const merges: Array<[string, string]> = [];
  while (merges.length < options.merges && heap.size > 0) {
    const top = heap.pop()!;
    if ((pairCounts.get(top.key) ?? 0) !== top.count) continue; // stale
    const a = Math.floor(top.key / SHIFT);
    const b = top.key % SHIFT;
    if (symbolText.length >= SHIFT - 1) break;
    const mergedId = intern(symbolText[a] + symbolText[b]);
    merges.push([symbolText[a], symbolText[b]]);
    const changed = new Set<number>();
    for (const w of [...(pairWords.get(top.key) ?? [])]) {
      const word = words[w];
      const old = word.symbols;
      let contains = false;
      for (let i = 0; i + 1 < old.length; i++) if (old[i] === a && old[i + 1] === b) contains = true;
      if (!contains) continue;
      for (let i = 0; i + 1 < old.length; i++) {
        const key = old[i] * SHIFT + old[i + 1];
        pairCounts.set(key, pairCounts.get(key)! - word.count);
        changed.add(key);
      }
      const next: number[] = [];
      for (let i = 0; i < old.length; i++) {
        if (i + 1 < old.length && old[i] === a && old[i + 1] === b) {
          next.push(mergedId);
          i++;
        } else {
          next.push(old[i]);
        }
      }
      word.symbols = next;
      for (let i = 0; i + 1 < next.length; i++) changed.add(addPair(next[i], next[i + 1], word.count, w));
    }
    pairCounts.delete(top.key);
    pairWords.delete(top.key);
    for (const key of changed) {
      if (key === top.key) continue;
      if ((pairCounts.get(key) ?? 0) <= 0) {
        pairCounts.delete(key);
        pairWords.delete(key);
      } else {
        pushPair(key);
      }
    }
  }
  return merges;
}

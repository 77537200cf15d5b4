/** `reverse` and `sort`: random letter strings, reversed or sorted. */
import { makeRng } from '../split';
import type { SentencePair } from '../load';
import type { TaskDefinition } from './types';

function letterStrings(kind: string, size: number, seed: number, transform: (s: string) => string): SentencePair[] {
  const rng = makeRng(`${kind}:${seed}`);
  const pairs: SentencePair[] = [];
  for (let i = 0; i < size; i++) {
    const length = 3 + Math.floor(rng() * 10); // 3–12
    let source = '';
    for (let k = 0; k < length; k++) source += String.fromCharCode(97 + Math.floor(rng() * 26));
    pairs.push({ source, target: transform(source) });
  }
  return pairs;
}

/** `reverse`: char → char, default 10,000 pairs. */
export const reverseTask: TaskDefinition = {
  name: 'reverse',
  description: 'random strings of 3–12 letters → the same letters reversed',
  defaultSize: 10_000,
  sourceTokenizer: 'char',
  targetTokenizer: 'char',
  available: () => Infinity,
  generate: (size, seed) => letterStrings('reverse', size, seed, s => Array.from(s).reverse().join('')),
};

/** `sort`: char → char, default 10,000 pairs. */
export const sortTask: TaskDefinition = {
  name: 'sort',
  description: 'random strings of 3–12 letters → the letters in alphabetical order',
  defaultSize: 10_000,
  sourceTokenizer: 'char',
  targetTokenizer: 'char',
  available: () => Infinity,
  generate: (size, seed) => letterStrings('sort', size, seed, s => Array.from(s).sort().join('')),
};

/**
 * `g2p` and `pinyin`: pairs drawn from dictionaries that ship in npm packages.
 *
 * - g2p: English spelling → ARPAbet from `cmu-pronouncing-dictionary` (first pronunciation of
 *   each plain a–z word; alternates like "word(2)" are skipped).
 * - pinyin: Chinese words → tone-marked pinyin from the word dictionaries bundled inside
 *   `pinyin-pro`. The package exports a converter, not its word list, so the list is read from
 *   the package's own bundle (entries like "银行":"yín háng"); the test suite checks that this
 *   still finds thousands of words, so a package upgrade that changes its layout fails loudly.
 */
import * as fs from 'fs';
import { makeRng, shuffleInPlace } from '../split';
import type { SentencePair } from '../load';
import type { TaskDefinition } from './types';

let g2pPairs: SentencePair[] | undefined;
let pinyinPairs: SentencePair[] | undefined;

function allG2p(): SentencePair[] {
  if (!g2pPairs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { dictionary } = require('cmu-pronouncing-dictionary') as { dictionary: Record<string, string> };
    g2pPairs = Object.entries(dictionary)
      .filter(([word]) => /^[a-z]+$/.test(word) && word.length >= 2)
      .map(([word, phones]) => ({ source: word, target: phones }));
  }
  return g2pPairs;
}

const PINYIN_ENTRY = /"(\p{Script=Han}{2,8})":"([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+(?: [a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+)*)"/gu;

function allPinyin(): SentencePair[] {
  if (!pinyinPairs) {
    const bundle = fs.readFileSync(require.resolve('pinyin-pro'), 'utf8');
    const seen = new Map<string, string>();
    for (const match of bundle.matchAll(PINYIN_ENTRY)) {
      const [, word, reading] = match;
      // One reading per word: the syllable count must match the characters.
      if (!seen.has(word) && reading.split(' ').length === Array.from(word).length) seen.set(word, reading);
    }
    pinyinPairs = [...seen.entries()].map(([source, target]) => ({ source, target }));
  }
  return pinyinPairs;
}

function sample(all: SentencePair[], size: number, seed: number, name: string): SentencePair[] {
  return shuffleInPlace(all.slice(), makeRng(`${name}:${seed}`)).slice(0, Math.min(size, all.length));
}

export const g2pTask: TaskDefinition = {
  name: 'g2p',
  description: 'English spelling → ARPAbet phonemes (CMU Pronouncing Dictionary)',
  defaultSize: 20_000,
  sourceTokenizer: 'char',
  targetTokenizer: 'word',
  available: () => allG2p().length,
  generate: (size, seed) => sample(allG2p(), size, seed, 'g2p'),
};

export const pinyinTask: TaskDefinition = {
  name: 'pinyin',
  description: 'Chinese words → tone-marked pinyin (word dictionary of pinyin-pro)',
  defaultSize: 20_000,
  sourceTokenizer: 'cjk',
  targetTokenizer: 'word',
  available: () => allPinyin().length,
  generate: (size, seed) => sample(allPinyin(), size, seed, 'pinyin'),
};

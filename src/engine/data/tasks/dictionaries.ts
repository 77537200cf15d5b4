/**
 * `g2p` and `pinyin`: pairs drawn from dictionaries that ship in npm packages.
 *
 * - g2p: English spelling → ARPAbet from `cmu-pronouncing-dictionary`: each plain a–z word with
 *   all its pronunciations (alternates are keyed "word(2)"; trailing "# …" comments dropped).
 * - pinyin: Chinese words → tone-marked pinyin from the word dictionaries bundled inside
 *   `pinyin-pro`. The package exports a converter, not its word list, so the lists are loaded
 *   from its data files (`pinyin-pro/dist/esm/data/dict2–5.mjs`, reachable through its
 *   "./dist/*" export; esbuild bundles them). The test suite checks that thousands of words
 *   are found, so a package upgrade that moves them fails loudly.
 *   Those dictionaries hold mostly words a per-character lookup would misread, so a list of
 *   everyday words (converted with pinyin-pro's own `pinyin()`) is added to them.
 */
import { makeRng, shuffleInPlace } from '../split';
import type { SentencePair } from '../load';
import type { TaskDefinition } from './types';
import { COMMON_CHINESE_WORDS } from './commonChinese';

/** Space-separated ARPAbet phonemes, vowels with a stress digit. */
const ARPABET = /^[A-Z]{1,2}[012]?(?: [A-Z]{1,2}[012]?)*$/;

let g2pWords: SentencePair[][] | undefined;
let pinyinPairs: SentencePair[] | undefined;

/** Every plain a–z word's pronunciations as pairs, the dictionary's first one first. */
function allG2p(): SentencePair[][] {
  if (!g2pWords) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { dictionary } = require('cmu-pronouncing-dictionary') as { dictionary: Record<string, string> };
    const byWord = new Map<string, Array<{ rank: number; phones: string }>>();
    for (const [key, entry] of Object.entries(dictionary)) {
      // Alternates are keyed "word(2)", "word(3)", …
      const match = /^([a-z]{2,})(?:\((\d+)\))?$/.exec(key);
      if (!match) continue;
      // Some entries carry a trailing comment ("AA1 L T OW2 # name, finnish"): phonemes only.
      const phones = entry.split('#')[0].trim().replace(/\s+/g, ' ');
      if (!ARPABET.test(phones)) continue;
      const readings = byWord.get(match[1]) ?? [];
      readings.push({ rank: match[2] ? Number(match[2]) : 1, phones });
      byWord.set(match[1], readings);
    }
    g2pWords = [...byWord.entries()].map(([word, readings]) => {
      const phones = [...new Set(readings.sort((a, b) => a.rank - b.rank).map(r => r.phones))];
      return phones.map(target => ({ source: word, target }));
    });
  }
  return g2pWords;
}

/** A reading we accept: tone-marked syllables, one per character. */
const SYLLABLES = /^[a-zāáǎàēéěèêếềīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+(?: [a-zāáǎàēéěèêếềīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+)*$/u;
const HAN_WORD = /^\p{Script=Han}{2,8}$/u;

/** pinyin-pro's word dictionaries (2 to 5 characters), loaded on first use: only this task needs them. */
function pinyinDictionaries(): Array<Record<string, string>> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return [
    (require('pinyin-pro/dist/esm/data/dict2.mjs') as typeof import('pinyin-pro/dist/esm/data/dict2.mjs')).default,
    (require('pinyin-pro/dist/esm/data/dict3.mjs') as typeof import('pinyin-pro/dist/esm/data/dict3.mjs')).default,
    (require('pinyin-pro/dist/esm/data/dict4.mjs') as typeof import('pinyin-pro/dist/esm/data/dict4.mjs')).default,
    (require('pinyin-pro/dist/esm/data/dict5.mjs') as typeof import('pinyin-pro/dist/esm/data/dict5.mjs')).default,
  ];
  /* eslint-enable @typescript-eslint/no-require-imports */
}

function allPinyin(): SentencePair[] {
  if (!pinyinPairs) {
    const seen = new Map<string, string>();
    for (const dictionary of pinyinDictionaries()) {
      for (const [word, reading] of Object.entries(dictionary)) {
        // One reading per word, one syllable per character: anything else would teach misalignment.
        if (!seen.has(word) && HAN_WORD.test(word) && SYLLABLES.test(reading) && reading.split(' ').length === Array.from(word).length) seen.set(word, reading);
      }
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { pinyin } = require('pinyin-pro') as typeof import('pinyin-pro');
    for (const word of COMMON_CHINESE_WORDS) {
      if (!seen.has(word)) seen.set(word, pinyin(word, { toneType: 'symbol', type: 'string' }));
    }
    pinyinPairs = [...seen.entries()].map(([source, target]) => ({ source, target }));
  }
  return pinyinPairs;
}

function sample<T>(all: T[], size: number, seed: number, name: string): T[] {
  return shuffleInPlace(all.slice(), makeRng(`${name}:${seed}`)).slice(0, Math.min(size, all.length));
}

/**
 * A task over a dictionary list that `all` builds on first use and caches: `generate` is a
 * seeded sample of its items. An item is a pair, or (g2p) a source with all its pairs, which
 * a sample keeps together; `available` counts pairs.
 */
function dictionaryTask(definition: Omit<TaskDefinition, 'available' | 'generate'>, all: () => Array<SentencePair | SentencePair[]>): TaskDefinition {
  return {
    ...definition,
    available: () => all().reduce((pairs, item) => pairs + (Array.isArray(item) ? item.length : 1), 0),
    generate: (size, seed) => sample(all(), size, seed, definition.name).flat(),
  };
}

/**
 * `g2p`: char → word (phonemes), a seeded sample of the dictionary's words (size counts
 * words); by default every word (about 117,000): with 20,000 the default run stopped at 52 %
 * WER. A word with several pronunciations (6.6 % of them) gives one pair per pronunciation:
 * training learns all, and validation/test accept any (the data split keeps a word's pairs
 * together and scores each word against its nearest pronunciation).
 */
export const g2pTask: TaskDefinition = dictionaryTask({
  name: 'g2p',
  description: 'English spelling → ARPAbet phonemes (CMU Pronouncing Dictionary)',
  defaultSize: 1_000_000,
  sizeCounts: 'sources',
  sourceTokenizer: 'char',
  targetTokenizer: 'word',
  targetUnit: 'phoneme',
}, allG2p);

/** Stressed vowels (ARPAbet vowels carry a stress digit 0, 1 or 2): one per syllable. */
function syllableCount(phones: string): number {
  return phones.split(' ').filter(p => /[012]$/.test(p)).length;
}

let syllablePairs: SentencePair[] | undefined;

/** Every CMUdict word with its syllable count (of its first pronunciation; the few entries without a vowel left out). */
function allSyllables(): SentencePair[] {
  syllablePairs ??= allG2p().map(readings => ({ source: readings[0].source, target: String(syllableCount(readings[0].target)) })).filter(pair => pair.target !== '0');
  return syllablePairs;
}

/**
 * `syllables` (classify, seed 002's many to one): an English word's letters → its number of
 * syllables, counted as the stressed vowel phonemes of its first CMUdict pronunciation (most
 * words have 1–4; the labels run to 8 or so).
 */
export const syllablesTask: TaskDefinition = dictionaryTask({
  name: 'syllables',
  description: 'English word → its number of syllables (CMU Pronouncing Dictionary; classification)',
  defaultSize: 20_000,
  shape: 'classify',
  sourceTokenizer: 'char',
  targetTokenizer: 'word',
}, allSyllables);

/**
 * `pinyin-tag` (tag, seed 002's aligned many to many): a Chinese word's characters → each
 * character's tone-marked pinyin syllable, from the same pinyin-pro dictionaries as `pinyin`
 * (whose readings have one syllable per character). The tags are the syllables.
 */
export const pinyinTagTask: TaskDefinition = dictionaryTask({
  name: 'pinyin-tag',
  description: 'Chinese word → the pinyin syllable of each character (dictionaries of pinyin-pro; tagging)',
  defaultSize: 20_000,
  shape: 'tag',
  sourceTokenizer: 'cjk',
  targetTokenizer: 'word',
}, alignedPinyin);

/** The pinyin pairs whose reading has exactly one syllable per Han character (the tag task's data). */
function alignedPinyin(): SentencePair[] {
  return allPinyin().filter(pair => HAN_WORD.test(pair.source) && pair.target.split(' ').length === Array.from(pair.source).length);
}

let wordPrompts: SentencePair[] | undefined;

/**
 * Every CMUdict word as "<syllable count> <first letter> <LAST LETTER>" → the word. The last
 * letter is in upper case: generate's prompt encoder averages the prompt's embeddings (a bag,
 * no order), so "k z" and "z k" must be different tokens to say which letter starts the word.
 */
function allWordPrompts(): SentencePair[] {
  wordPrompts ??= allSyllables().map(({ source, target }) => ({ source: `${target} ${source[0]} ${source[source.length - 1].toUpperCase()}`, target: source }));
  return wordPrompts;
}

/**
 * `words` (generate, seed 002's one to many): a prompt "<syllables> <first letter> <LAST
 * LETTER>" ("2 m Y") → an English word with that many syllables, first and last letter, spelled out
 * (with the first letter alone there are only 187 prompts: a validation split of a handful).
 * Many words share
 * a prompt; validation and test accept any of them (a prompt with all its words stays in one
 * split), so exact match is the share of outputs that are real words fitting the prompt.
 */
export const wordsTask: TaskDefinition = dictionaryTask({
  name: 'words',
  description: 'Prompt "<syllables> <first letter> <LAST LETTER>" → an English word that fits it (CMU Pronouncing Dictionary; generation)',
  defaultSize: 20_000,
  shape: 'generate',
  sizeCounts: 'pairs',
  sourceTokenizer: 'word',
  targetTokenizer: 'char',
}, allWordPrompts);

/** `pinyin`: cjk → word (syllables), a seeded sample (by default every word available). */
export const pinyinTask: TaskDefinition = dictionaryTask({
  name: 'pinyin',
  description: 'Chinese words → tone-marked pinyin, one syllable per character (dictionaries of pinyin-pro)',
  defaultSize: 20_000,
  sourceTokenizer: 'cjk',
  targetTokenizer: 'word',
}, allPinyin);

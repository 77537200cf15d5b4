/**
 * The corpora of issue 9 ("Any corpus a user brings"), each a TSV file the engine reads through
 * its file path, where `auto` picks the tokenizers. `build(small)` is deterministic: the same
 * files on every run (the gettext ones depend on the catalogues Debian installed).
 */
import * as fs from 'fs';
import { numbersCorpus } from './numbers';
import { gettextPairs, samplePairs, typescriptPairs } from './messages';
import { g2pCorpus, spellingCorpus } from './dictionary';
import type { Pair, TsvOptions } from './tsv';

/** The metric a corpus is judged by; `wer` is the PER for g2p (lower is better). */
export type HeadlineMetric = 'exactMatch' | 'bleu' | 'wer';

export interface BuiltCorpus {
  pairs: Pair[];
  /** Where the pairs came from, in words. */
  origin: string;
}

export interface CorpusSpec {
  name: string;
  description: string;
  headline: HeadlineMetric;
  /** The training budget for the headline figure. */
  minutes: number;
  tsv: TsvOptions;
  build(small: boolean): BuiltCorpus;
}

const GETTEXT_ROOT = '/usr/share/locale';
const HAN = /\p{Script=Han}/u;

/** Debian's gettext catalogues when the machine has them, else TypeScript's diagnostics (always installed). */
function messagesCorpus(locale: string, typescriptLanguage: string, size: number, seed: string, targetScript?: RegExp): BuiltCorpus {
  if (fs.existsSync(`${GETTEXT_ROOT}/${locale}/LC_MESSAGES`)) {
    const { pairs, files } = gettextPairs({ locale, targetScript });
    return { pairs: samplePairs(pairs, size, seed), origin: `${pairs.length} usable pairs from ${files} gettext catalogues in ${GETTEXT_ROOT}/${locale}, ${Math.min(size, pairs.length)} sampled` };
  }
  return typescriptCorpus(typescriptLanguage, size, seed, targetScript, `${GETTEXT_ROOT}/${locale} is missing: `);
}

function typescriptCorpus(language: string, size: number, seed: string, targetScript?: RegExp, prefix = ''): BuiltCorpus {
  const pairs = typescriptPairs({ language, targetScript });
  return { pairs: samplePairs(pairs, size, seed), origin: `${prefix}${pairs.length} usable pairs from TypeScript's ${language} diagnostics, ${Math.min(size, pairs.length)} sampled` };
}

export const CORPORA: readonly CorpusSpec[] = [
  {
    name: 'numbers', headline: 'exactMatch', minutes: 6, tsv: { bom: true, crlf: true },
    description: 'numbers 0–99,999 → English words (UTF-8 BOM, CRLF)',
    build: small => small
      ? { pairs: numbersCorpus({ lines: 600, max: 999, distinct: true }), origin: '600 distinct numbers 0–999, seeded' }
      : { pairs: numbersCorpus({ lines: 4000, max: 99_999 }), origin: '4,000 seeded uniform draws from 0–99,999' },
  },
  {
    name: 'en-de', headline: 'bleu', minutes: 10, tsv: {},
    description: 'short UI messages English → German (gettext catalogues; TypeScript diagnostics where those are missing)',
    build: small => small ? typescriptCorpus('de', 10_000, 'en-de-ts:1') : messagesCorpus('de', 'de', 10_000, 'en-de:1'),
  },
  {
    name: 'en-de-ts', headline: 'bleu', minutes: 10, tsv: {},
    description: "TypeScript's diagnostics English → German, 1–6 words (CI-safe)",
    build: () => typescriptCorpus('de', 10_000, 'en-de-ts:1'),
  },
  {
    name: 'en-zh', headline: 'bleu', minutes: 10, tsv: {},
    description: 'short UI messages English → Simplified Chinese (gettext catalogues; TypeScript diagnostics where those are missing)',
    build: small => small ? typescriptCorpus('zh-cn', 10_000, 'en-zh-ts:1', HAN) : messagesCorpus('zh_CN', 'zh-cn', 10_000, 'en-zh:1', HAN),
  },
  {
    name: 'en-zh-ts', headline: 'bleu', minutes: 10, tsv: {},
    description: "TypeScript's diagnostics English → Simplified Chinese, 1–6 words (CI-safe)",
    build: () => typescriptCorpus('zh-cn', 10_000, 'en-zh-ts:1', HAN),
  },
  {
    name: 'g2p', headline: 'wer', minutes: 30, tsv: {},
    description: 'English spelling → ARPAbet phonemes (CMU Pronouncing Dictionary)',
    build: small => {
      const lines = small ? 2000 : 20_000;
      return { pairs: g2pCorpus({ lines }), origin: `${lines.toLocaleString('en')} seeded words of cmu-pronouncing-dictionary` };
    },
  },
  {
    name: 'spelling', headline: 'exactMatch', minutes: 10, tsv: {},
    description: 'misspelled word → word (one seeded deletion, insertion, substitution or transposition)',
    build: small => {
      const lines = small ? 2000 : 10_000;
      return { pairs: spellingCorpus({ lines }), origin: `${lines.toLocaleString('en')} seeded words of cmu-pronouncing-dictionary, 3–12 letters` };
    },
  },
];

export function corpusSpec(name: string): CorpusSpec {
  const spec = CORPORA.find(c => c.name === name);
  if (!spec) throw new Error(`unknown corpus ${name}; known: ${CORPORA.map(c => c.name).join(', ')}`);
  return spec;
}

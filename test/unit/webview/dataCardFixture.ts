/** A dataset card as the engine would answer for a small, slightly broken TSV (for the form's tests). */
import type { DatasetCard, SideCard } from '../../../src/shared/dataCard';

function side(overrides: Partial<SideCard['decision']>, vocabularySize: number): SideCard {
  return {
    decision: {
      tokenizer: 'char',
      auto: true,
      reason: 'short texts over a small alphabet (38 characters): one token per character',
      figures: { alphabetSize: 38, meanChars: 11.25, meanWords: 3, wordOovRate: 0.42, hanShare: 0, wordTypes: 120 },
      ...overrides,
    },
    lengths: { min: 3, mean: 11.2, p50: 11, p90: 16, p99: 19, max: 21 },
    vocabularySize,
    unseenTokens: { valid: 0.0004, test: 0 },
    sentencesWithUnseen: { valid: 0.05, test: 0 },
    overLimit: 2,
    limit: 20,
  };
}

export function sampleCard(): DatasetCard {
  return {
    source: { dataPath: '/w/pairs.tsv' },
    totalLines: 1203,
    pairs: 1200,
    usablePairs: 1196,
    badLines: [{ line: 7, reason: 'no tab' }, { line: 30, reason: 'empty target' }],
    badLineCount: 3,
    duplicates: 4,
    ambiguousSources: 1,
    splits: { train: 1000, valid: 98, test: 98 },
    sourceSide: side({}, 41),
    autoSettings: [{ key: 'hiddenSize', value: 128, reason: '1,000 training pairs' }],
    targetSide: side({ tokenizer: 'subword', reason: 'long words, many unseen: BPE pieces', subwordVocabSize: 2000 }, 2000),
    warnings: [
      { id: 'badLines', args: [3, 1203, 7, 'no tab'], message: '3 of 1203 lines are malformed and are skipped (first: line 7: no tab)' },
      { id: 'duplicates', args: [4], message: '4 pairs repeat an earlier pair exactly: they weigh more in training (the pairs of one source stay in one split, so they do not leak into validation or test)' },
    ],
  };
}

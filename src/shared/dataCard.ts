/**
 * The dataset card: what the engine learned about a data file before training — its pairs,
 * bad lines, duplicates, per-side statistics, the tokenizer `auto` chose and why, lengths,
 * vocabulary sizes, how much of the held-out text was never seen in training — and plain
 * warnings. `seq2seq-lab inspect` prints it, the Train Model form shows it, and a run keeps it
 * in `datacard.json`. Nothing here imports `vscode` or TensorFlow.
 */
import type { ResolvedShape } from './config';
import type { DataChoice } from './dataChoice';

/** A tokenizer the engine runs (`auto` resolves to one of these). */
export type ConcreteTokenizerName = 'char' | 'word' | 'cjk' | 'subword';

/** Figures measured on one side of the training split; they drive `auto`. */
export interface SideFigures {
  /** Distinct characters (code points, after normalisation). */
  alphabetSize: number;
  /** Mean length in characters. */
  meanChars: number;
  /** Mean length in words (Unicode letter/number runs). */
  meanWords: number;
  /** Share of word occurrences in a held-out slice of the training split never seen in the rest of it. */
  wordOovRate: number;
  /** Share of letters that are Han characters. */
  hanShare: number;
  /** Distinct words. */
  wordTypes: number;
}

/** What a side's tokenizer is, whether `auto` chose it, and the reason in words. */
export interface TokenizerDecision {
  tokenizer: ConcreteTokenizerName;
  /** True when the configuration said `auto` (or the task's choice was taken). */
  auto: boolean;
  reason: string;
  figures: SideFigures;
  /** For `subword`: the vocabulary size the model was trained to. */
  subwordVocabSize?: number;
}

export interface LengthStatistics {
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface SideCard {
  decision: TokenizerDecision;
  /** Lengths in tokens under the chosen tokenizer (all usable pairs). */
  lengths: LengthStatistics;
  /** Vocabulary size built from the training split, specials included. */
  vocabularySize: number;
  /** Share of validation / test tokens that are not in the training vocabulary (→ `<unk>`). */
  unseenTokens: { valid: number; test: number };
  /** Share of validation / test sentences with at least one such token. */
  sentencesWithUnseen: { valid: number; test: number };
  /** Pairs whose length on this side is over the limit (left out). */
  overLimit: number;
  /** The length limit in tokens (`maxSourceLength` / `maxTargetLength`). */
  limit: number;
}

/** One warning: a stable id, the English template with {0}, {1}… and its arguments. */
export interface DataWarning {
  id: keyof typeof DATA_WARNINGS;
  args: Array<string | number>;
  /** The English text (template filled in). */
  message: string;
}

export interface DatasetCard {
  /** Absolute path of the file, or the built-in task's name. */
  source: DataChoice;
  totalLines: number;
  /** Pairs read (bad lines excluded). */
  pairs: number;
  /** Pairs used after the length limits. */
  usablePairs: number;
  /** The first bad lines with their 1-based numbers, and how many there were in all. */
  badLines: Array<{ line: number; reason: string }>;
  badLineCount: number;
  /** Pairs that repeat an earlier pair exactly. */
  duplicates: number;
  /** Distinct sources that occur with more than one target. */
  ambiguousSources: number;
  splits: { train: number; valid: number; test: number };
  sourceSide: SideCard;
  targetSide: SideCard;
  /** What the settings left at auto (0) resolve to on this data, with reasons. */
  autoSettings: Array<{ key: string; value: number | string | boolean; reason: string }>;
  /** The shape a run would train (`auto` decided from the task or the data), and why. Absent in cards before the shapes. */
  shape?: { shape: ResolvedShape; auto: boolean; reason: string };
  warnings: DataWarning[];
}

/**
 * The warning templates ({0}, {1}… filled by a MessageFormat). The engine prints them in
 * English; the form translates the template (every id has a zh-CN entry in l10n/).
 */
export const DATA_WARNINGS = {
  badLines: '{0} of {1} lines are malformed and are skipped (first: line {2}: {3})',
  duplicates: '{0} pairs repeat an earlier pair exactly: they weigh more in training (the pairs of one source stay in one split, so they do not leak into validation or test)',
  ambiguousSources: '{0} sources occur with several targets: each stays in one split, and validation and test accept any of its targets',
  unseenSource: '{0} % of validation sources contain a token never seen in training: choose char or subword for the source',
  unseenTarget: '{0} % of validation targets contain a token never seen in training: choose char or subword for the target',
  overLimit: '{0} pairs are longer than the length limits ({1} source / {2} target tokens) and are left out',
  fewPairs: 'only {0} usable pairs: too few for a model to learn much from; 1,000 or more are better',
  smallValidation: 'only {0} validation pairs: scores will move in big steps; raise validFraction',
} as const;

export type DataWarningId = keyof typeof DATA_WARNINGS;

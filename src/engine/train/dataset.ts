/**
 * From a task name or a data file to encoded train / valid / test splits, tokenizers and
 * vocabularies.
 *
 * Order matters for honesty: the raw pairs are split first (seeded), then everything learned
 * from data — `auto`'s tokenizer choice, the subword model, the vocabularies — comes from the
 * training split only, so validation and test measure generalisation (unknown tokens become
 * <unk>). Pairs over the length limits are then left out of each split and counted;
 * malformed file lines are counted by the loader. Nothing is dropped without a number.
 */
import type { ResolvedShape, Seq2SeqConfig } from '../../shared/config';
import { resolvedShape } from '../../shared/shapes';
import { type DataChoice, describeDataChoice } from '../../shared/dataChoice';
import type { TokenizerDecision } from '../../shared/dataCard';
import type { TargetUnit } from '../../shared/metrics';
import { getTask, LabelTokenizer, loadParallelFile, SentencePair, splitGroups, Tokenizer, Vocabulary, BadLine } from '../data';
import { DataError } from '../data/errors';
import { decideTokenizer } from '../data/profile';
import type { EncodedPair } from '../model/batch';
import { decideShape, type ShapeDecision } from './shapeDecision';

/** A pair kept with its tokens, for metrics and display. */
export interface ExamplePair extends EncodedPair {
  sourceTokens: string[];
  targetTokens: string[];
  /** detokenized reference: what outputs are compared against */
  reference: string;
  /**
   * Every acceptable reference (detokenized, `reference` first) when the data gives this
   * source several targets; validation and test score against the nearest. Absent: one.
   */
  references?: string[];
  sourceText: string;
}

export interface PreparedData {
  /** The shape the run trains (`auto` decided) and why. */
  shape: ResolvedShape;
  shapeDecision: ShapeDecision;
  sourceTokenizer: Tokenizer;
  targetTokenizer: Tokenizer;
  /** What each side's tokenizer is and why (figures measured on the training split). */
  decisions: { source: TokenizerDecision; target: TokenizerDecision };
  targetUnit: TargetUnit;
  sourceVocab: Vocabulary;
  targetVocab: Vocabulary;
  /** source id → target id of the same string, or -1 (copy prior) */
  sourceToTarget: Int32Array;
  train: ExamplePair[];
  valid: ExamplePair[];
  test: ExamplePair[];
  report: DataReport;
}

export interface DataReport {
  totalPairs: number;
  /** Pairs left out for length, over all splits, and per side (a pair can count on both). */
  tooLong: number;
  tooLongSource: number;
  tooLongTarget: number;
  badLines: BadLine[];
  totalLines: number;
  /** Raw pairs per split before the length limits. */
  rawSplit: { train: SentencePair[]; valid: SentencePair[]; test: SentencePair[] };
}

/** What a resumed run (or a loaded model) brings: its saved vocabularies and tokenizers. */
export interface SavedVocabularies {
  source: Vocabulary;
  target: Vocabulary;
  tokenizers?: { source: Tokenizer; target: Tokenizer };
}

export interface LoadedPairs {
  pairs: SentencePair[];
  /** The built-in task's tokenizers (what `auto` means for a task); undefined for files. */
  taskTokenizers?: { source: string; target: string };
  /** The built-in task's shape (what `shape: auto` means for a task); undefined for files. */
  taskShape?: ResolvedShape;
  targetUnit: TargetUnit;
  badLines: BadLine[];
  totalLines: number;
  /** A file's pairs' line numbers (for errors that belong to one line); undefined for tasks. */
  lineOf?: Map<SentencePair, number>;
}

/** Loads the raw pairs of a task or a file. */
export function loadPairs(source: DataChoice, config: Seq2SeqConfig): LoadedPairs {
  if (source.task !== undefined) {
    const task = getTask(source.task);
    const pairs = task.generate(config.taskSize || task.defaultSize, config.seed);
    return { pairs, taskTokenizers: { source: task.sourceTokenizer, target: task.targetTokenizer }, taskShape: task.shape ?? 'seq2seq', targetUnit: task.targetUnit ?? 'word', badLines: [], totalLines: pairs.length };
  }
  const loaded = loadParallelFile(source.dataPath, { maxBadLineFraction: config.maxBadLineFraction });
  const lineOf = new Map(loaded.pairs.map((pair, i) => [pair, loaded.lines[i]] as const));
  return { pairs: loaded.pairs, targetUnit: 'word', badLines: loaded.badLines, totalLines: loaded.totalLines, lineOf };
}

/**
 * The target tokenizer of a shape: for classify and tag a LabelTokenizer over the saved (word)
 * one — the whole target one label, or whitespace-separated tags — else the tokenizer itself.
 */
export function shapeTargetTokenizer(shape: ResolvedShape, tokenizer: Tokenizer): Tokenizer {
  if (shape === 'classify') return new LabelTokenizer('label', tokenizer.lowercase);
  if (shape === 'tag') return new LabelTokenizer('tags', tokenizer.lowercase);
  return tokenizer;
}

/** The decision record of a label shape's target side (no tokenizer is chosen: the labels are the tokens). */
function labelDecision(shape: 'classify' | 'tag', configured: string): TokenizerDecision {
  const reason = shape === 'classify' ? 'shape classify: the whole target is one label' : 'shape tag: the target\'s whitespace-separated tags, one per source token';
  return { tokenizer: 'word', auto: configured === 'auto', reason, figures: { alphabetSize: 0, meanChars: 0, meanWords: 0, wordOovRate: 0, hanShare: 0, wordTypes: 0 } };
}

/** Most misaligned tag lines quoted in the error. */
const QUOTED_MISALIGNED = 5;

export function encodeSource(tokens: string[], vocab: Vocabulary, config: Seq2SeqConfig): number[] {
  const ids = vocab.encode(tokens);
  return config.reverseSource ? ids.reverse() : ids;
}

/** The tokenizers of both sides: saved ones, or decided (and trained) on the training split. */
export function resolveTokenizers(train: readonly SentencePair[], loaded: Pick<LoadedPairs, 'taskTokenizers'>, config: Seq2SeqConfig, shape: ResolvedShape = resolvedShape(config.shape)): { source: Tokenizer; target: Tokenizer; decisions: { source: TokenizerDecision; target: TokenizerDecision } } {
  const side = (texts: string[], configured: string, taskDefault: string | undefined) =>
    decideTokenizer(texts, { configured, taskDefault, lowercase: config.lowercase, subwordVocabSize: config.subwordVocabSize });
  const source = side(train.map(p => p.source), config.sourceTokenizer, loaded.taskTokenizers?.source);
  if (shape === 'classify' || shape === 'tag') {
    return { source: source.tokenizer, target: shapeTargetTokenizer(shape, new Tokenizer({ kind: 'word' }, config.lowercase)), decisions: { source: source.decision, target: labelDecision(shape, config.targetTokenizer) } };
  }
  const target = side(train.map(p => p.target), config.targetTokenizer, loaded.taskTokenizers?.target);
  return { source: source.tokenizer, target: target.tokenizer, decisions: { source: source.decision, target: target.decision } };
}

/** A decision record for saved tokenizers (a resumed run: the figures are not re-measured). */
function savedDecision(tokenizer: Tokenizer): TokenizerDecision {
  return { tokenizer: tokenizer.kind, auto: false, reason: 'saved with the run', figures: { alphabetSize: 0, meanChars: 0, meanWords: 0, wordOovRate: 0, hanShare: 0, wordTypes: 0 } };
}

/**
 * Loads, splits (seeded), decides and trains the tokenizers on the training split, tokenizes,
 * filters by length and encodes. With `vocabularies` (a resumed run, a loaded model) the saved
 * vocabularies and tokenizers are used instead of building new ones.
 */
export function prepareData(source: DataChoice, config: Seq2SeqConfig, vocabularies?: SavedVocabularies): PreparedData {
  const loaded = loadPairs(source, config);
  if (loaded.pairs.length < 3) throw new Error(`${describeDataChoice(source)}: only ${loaded.pairs.length} pairs; need at least 3`);
  // Split by source text: a source with several targets stays in one split (no leak from
  // training into test), and validation/test score it against all of its targets.
  const groups = splitGroups(loaded.pairs, pair => pair.source, config.validFraction, config.testFraction, config.seed);
  const rawSplit = { train: groups.train.flat(), valid: groups.valid.flat(), test: groups.test.flat() };
  // A saved run's shape is in its configuration (`auto` only in runs from before the shapes: seq2seq).
  const shapeDecision: ShapeDecision = vocabularies
    ? { shape: resolvedShape(config.shape), auto: false, reason: 'saved with the run' }
    : decideShape(config.shape, loaded.taskShape, rawSplit.train, config.targetTokenizer);
  let sourceTokenizer: Tokenizer;
  let targetTokenizer: Tokenizer;
  let decisions: PreparedData['decisions'];
  const shape = shapeDecision.shape;
  if (vocabularies?.tokenizers) {
    sourceTokenizer = vocabularies.tokenizers.source;
    targetTokenizer = shapeTargetTokenizer(shape, vocabularies.tokenizers.target);
    decisions = { source: savedDecision(sourceTokenizer), target: savedDecision(targetTokenizer) };
  } else {
    ({ source: sourceTokenizer, target: targetTokenizer, decisions } = resolveTokenizers(rawSplit.train, loaded, config, shape));
  }
  // tag: one tag per source token, or the line is an error (named with its number).
  const misaligned: string[] = [];
  let misalignedCount = 0;

  let tooLongSource = 0;
  let tooLongTarget = 0;
  let tooLong = 0;
  const tokenizeSplit = (pairs: SentencePair[]) => {
    const kept: Array<{ pair: SentencePair; sourceTokens: string[]; targetTokens: string[] }> = [];
    for (const pair of pairs) {
      const sourceTokens = sourceTokenizer.tokenize(pair.source);
      const targetTokens = targetTokenizer.tokenize(pair.target);
      if (sourceTokens.length === 0 || targetTokens.length === 0) continue; // the loader rejects these; generated tasks never make them
      if (shape === 'tag' && sourceTokens.length !== targetTokens.length) {
        if (misalignedCount++ < QUOTED_MISALIGNED) {
          const line = loaded.lineOf?.get(pair);
          misaligned.push(`${line !== undefined ? `line ${line}` : `pair "${pair.source}"`}: ${sourceTokens.length} source tokens but ${targetTokens.length} tags`);
        }
        continue;
      }
      const longSource = sourceTokens.length > config.maxSourceLength;
      const longTarget = targetTokens.length > config.maxTargetLength;
      if (longSource || longTarget) {
        tooLong++;
        if (longSource) tooLongSource++;
        if (longTarget) tooLongTarget++;
        continue;
      }
      kept.push({ pair, sourceTokens, targetTokens });
    }
    return kept;
  };
  const split = { train: tokenizeSplit(rawSplit.train), valid: tokenizeSplit(rawSplit.valid), test: tokenizeSplit(rawSplit.test) };
  if (misalignedCount) {
    const more = misalignedCount > QUOTED_MISALIGNED ? `; … and ${misalignedCount - QUOTED_MISALIGNED} more` : '';
    throw new DataError(`shape tag needs one tag per source token (under the ${sourceTokenizer.kind} source tokenizer); ${misalignedCount} pairs differ: ${misaligned.join('; ')}${more}`, describeDataChoice(source));
  }
  if (split.train.length < 1 || split.train.length + split.valid.length + split.test.length < 3) {
    throw new Error(`${describeDataChoice(source)}: only ${split.train.length + split.valid.length + split.test.length} usable pairs (${tooLong} longer than maxSourceLength ${config.maxSourceLength} / maxTargetLength ${config.maxTargetLength} tokens); need at least 3`);
  }
  const sourceVocab = vocabularies?.source ?? Vocabulary.build(split.train.map(p => p.sourceTokens), { minFrequency: config.minFrequency, maxSize: config.maxVocabSize });
  const targetVocab = vocabularies?.target ?? Vocabulary.build(split.train.map(p => p.targetTokens), { minFrequency: config.minFrequency, maxSize: config.maxVocabSize });
  const sourceToTarget = sourceToTargetMap(sourceVocab, targetVocab);
  const encode = (items: typeof split.train): ExamplePair[] => items.map(({ pair, sourceTokens, targetTokens }) => ({
    source: encodeSource(sourceTokens, sourceVocab, config),
    target: targetVocab.encode(targetTokens),
    sourceTokens,
    targetTokens,
    reference: targetTokenizer.detokenize(targetTokens),
    sourceText: pair.source,
  }));
  // Training learns from every pair; an evaluated source is one example with all its targets.
  const encodeScored = (items: typeof split.train): ExamplePair[] => {
    const bySource = new Map<string, ExamplePair>();
    for (const example of encode(items)) {
      const first = bySource.get(example.sourceText);
      if (!first) bySource.set(example.sourceText, example);
      else if (!(first.references ??= [first.reference]).includes(example.reference)) first.references.push(example.reference);
    }
    return [...bySource.values()];
  };
  return {
    shape: shapeDecision.shape,
    shapeDecision,
    sourceTokenizer,
    targetTokenizer,
    decisions,
    targetUnit: loaded.targetUnit,
    sourceVocab,
    targetVocab,
    sourceToTarget,
    train: encode(split.train),
    valid: encodeScored(split.valid),
    test: encodeScored(split.test),
    report: { totalPairs: loaded.pairs.length, tooLong, tooLongSource, tooLongTarget, badLines: loaded.badLines, totalLines: loaded.totalLines, rawSplit },
  };
}

/** source id → target id of the same token (ids > 3), else -1: what the copy prior boosts. */
export function sourceToTargetMap(sourceVocab: Vocabulary, targetVocab: Vocabulary): Int32Array {
  const map = new Int32Array(sourceVocab.size).fill(-1);
  for (let id = 0; id < sourceVocab.size; id++) {
    const target = targetVocab.id(sourceVocab.token(id));
    map[id] = target > 3 ? target : -1;
  }
  return map;
}

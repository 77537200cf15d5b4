/**
 * From a task name or a data file to encoded train / valid / test splits and vocabularies.
 *
 * Vocabularies are built from the training split only, so validation and test measure
 * generalisation honestly (unknown tokens become <unk>). Pairs that are too long are left
 * out and counted; malformed file lines are counted by the loader. Nothing is dropped
 * without a number in the report.
 */
import type { Seq2SeqConfig, TokenizerType } from '../../shared/config';
import { ConcreteTokenizer, detokenize, getTask, loadParallelFile, SentencePair, splitPairs, tokenize, Vocabulary, BadLine } from '../data';
import type { EncodedPair } from '../model/batch';

export interface DataSource {
  task?: string;
  dataPath?: string;
}

/** A pair kept with its tokens, for metrics and display. */
export interface ExamplePair extends EncodedPair {
  sourceTokens: string[];
  targetTokens: string[];
  /** detokenized reference: what outputs are compared against */
  reference: string;
  sourceText: string;
}

export interface PreparedData {
  sourceTokenizer: ConcreteTokenizer;
  targetTokenizer: ConcreteTokenizer;
  sourceVocab: Vocabulary;
  targetVocab: Vocabulary;
  /** source id → target id of the same string, or -1 (copy prior) */
  sourceToTarget: Int32Array;
  train: ExamplePair[];
  valid: ExamplePair[];
  test: ExamplePair[];
  report: { totalPairs: number; tooLong: number; badLines: BadLine[]; totalLines: number };
}

export interface SavedVocabularies {
  source: Vocabulary;
  target: Vocabulary;
}

function resolveTokenizer(chosen: TokenizerType, taskDefault: ConcreteTokenizer): ConcreteTokenizer {
  return chosen === 'auto' ? taskDefault : chosen;
}

export function describeSource(source: DataSource): string {
  return source.task ? `task ${source.task}` : `file ${source.dataPath}`;
}

/** Loads the raw pairs and the tokenizers a source implies. */
export function loadPairs(source: DataSource, config: Seq2SeqConfig): { pairs: SentencePair[]; sourceTokenizer: ConcreteTokenizer; targetTokenizer: ConcreteTokenizer; badLines: BadLine[]; totalLines: number } {
  if (source.task) {
    const task = getTask(source.task);
    const pairs = task.generate(config.taskSize || task.defaultSize, config.seed);
    return {
      pairs,
      sourceTokenizer: resolveTokenizer(config.sourceTokenizer, task.sourceTokenizer),
      targetTokenizer: resolveTokenizer(config.targetTokenizer, task.targetTokenizer),
      badLines: [],
      totalLines: pairs.length,
    };
  }
  if (!source.dataPath) throw new Error('give a built-in task (--task) or a data file (--data)');
  const loaded = loadParallelFile(source.dataPath, { maxBadLineFraction: config.maxBadLineFraction });
  return {
    pairs: loaded.pairs,
    sourceTokenizer: resolveTokenizer(config.sourceTokenizer, 'cjk'),
    targetTokenizer: resolveTokenizer(config.targetTokenizer, 'cjk'),
    badLines: loaded.badLines,
    totalLines: loaded.totalLines,
  };
}

export function encodeSource(tokens: string[], vocab: Vocabulary, config: Seq2SeqConfig): number[] {
  const ids = vocab.encode(tokens);
  return config.reverseSource ? ids.reverse() : ids;
}

/**
 * Tokenizes, filters by length, splits (seeded) and encodes. With `vocabularies` (a resumed
 * run) the saved vocabularies are used instead of building new ones.
 */
export function prepareData(source: DataSource, config: Seq2SeqConfig, vocabularies?: SavedVocabularies): PreparedData {
  const loaded = loadPairs(source, config);
  const tokenized: Array<{ pair: SentencePair; sourceTokens: string[]; targetTokens: string[] }> = [];
  let tooLong = 0;
  for (const pair of loaded.pairs) {
    const sourceTokens = tokenize(pair.source, loaded.sourceTokenizer, config.lowercase);
    const targetTokens = tokenize(pair.target, loaded.targetTokenizer, config.lowercase);
    if (sourceTokens.length === 0 || targetTokens.length === 0) continue; // the loader rejects these; generated tasks never make them
    if (sourceTokens.length > config.maxSourceLength || targetTokens.length > config.maxTargetLength) {
      tooLong++;
      continue;
    }
    tokenized.push({ pair, sourceTokens, targetTokens });
  }
  if (tokenized.length < 3) {
    throw new Error(`${describeSource(source)}: only ${tokenized.length} usable pairs (${tooLong} longer than maxSourceLength/maxTargetLength); need at least 3`);
  }
  const split = splitPairs(tokenized, config.validFraction, config.testFraction, config.seed);
  const sourceVocab = vocabularies?.source ?? Vocabulary.build(split.train.map(p => p.sourceTokens), { minFrequency: config.minFrequency, maxSize: config.maxVocabSize });
  const targetVocab = vocabularies?.target ?? Vocabulary.build(split.train.map(p => p.targetTokens), { minFrequency: config.minFrequency, maxSize: config.maxVocabSize });
  const sourceToTarget = new Int32Array(sourceVocab.size).fill(-1);
  for (let id = 0; id < sourceVocab.size; id++) {
    const target = targetVocab.id(sourceVocab.token(id));
    sourceToTarget[id] = target > 3 ? target : -1;
  }
  const encode = (items: typeof tokenized): ExamplePair[] => items.map(({ pair, sourceTokens, targetTokens }) => ({
    source: encodeSource(sourceTokens, sourceVocab, config),
    target: targetVocab.encode(targetTokens),
    sourceTokens,
    targetTokens,
    reference: detokenize(targetTokens, loaded.targetTokenizer),
    sourceText: pair.source,
  }));
  return {
    sourceTokenizer: loaded.sourceTokenizer,
    targetTokenizer: loaded.targetTokenizer,
    sourceVocab,
    targetVocab,
    sourceToTarget,
    train: encode(split.train),
    valid: encode(split.valid),
    test: encode(split.test),
    report: { totalPairs: loaded.pairs.length, tooLong, badLines: loaded.badLines, totalLines: loaded.totalLines },
  };
}

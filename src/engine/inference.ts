/**
 * Loading a trained run for translation and evaluation. Shared by the CLI and the child
 * process; keeps the last loaded model so repeated translations do not reload it.
 */
import * as fs from 'fs';
import { validateConfig } from '../shared/config';
import type { EvalMetrics, Translation } from '../shared/protocol';
import { detokenize, loadParallelFile, makeRng, tokenize } from './data';
import { beamSearch, forcedDecode, greedyDecode, Hypothesis, sampleDecode } from './decode/decode';
import { DataError } from './data/errors';
import { SPECIAL_TOKENS, UNK_ID } from './data/vocab';
import { Seq2SeqModel } from './model/seq2seq';
import { applyCheckpointToModel, CheckpointError, loadCheckpoint } from './train/checkpoint';
import { encodeSource, ExamplePair, shapeTargetTokenizer, sourceToTargetMap } from './train/dataset';
import { decodeAll, evaluatePairs, ModelContext, toTranslation } from './train/evaluate';
import { resolvedShape } from '../shared/shapes';
import { RunDirectory } from './train/runDir';

export class NotFoundError extends Error {}

interface Loaded {
  key: string;
  context: ModelContext;
}

let cache: Loaded | undefined;

/**
 * Loads a run's best checkpoint (or its last one when no evaluation ran yet), or with
 * `checkpoint: 'last'` its last one.
 */
export function loadRunModel(runDir: string, which: 'best' | 'last' = 'best'): ModelContext {
  const run = new RunDirectory(runDir);
  if (!fs.existsSync(run.configFile)) throw new NotFoundError(`${runDir}: not a Seq2Seq Lab run (config.json missing)`);
  const file = which === 'best' && fs.existsSync(run.bestCheckpoint) ? run.bestCheckpoint : run.lastCheckpoint;
  if (!fs.existsSync(file)) throw new NotFoundError(`${runDir}: the run has no checkpoint yet`);
  const key = `${runDir}|${file}|${fs.statSync(file).mtimeMs}`;
  if (cache?.key === key) return cache.context;
  const saved = run.readConfig();
  const { config, errors } = validateConfig(saved.config);
  if (errors.length) throw new Error(`${run.configFile}: ${errors.map(e => e.message).join('; ')}`);
  const vocab = run.loadVocabularies(config.lowercase);
  const checkpoint = loadCheckpoint(file);
  const model = new Seq2SeqModel(config, { sourceVocabSize: vocab.source.size, targetVocabSize: vocab.target.size });
  try {
    applyCheckpointToModel(model, checkpoint.tensors, file);
  } catch (error) {
    model.dispose();
    throw error instanceof CheckpointError ? error : new CheckpointError(file, (error as Error).message);
  } finally {
    checkpoint.tensors.forEach(t => t.dispose());
  }
  const sourceToTarget = sourceToTargetMap(vocab.source, vocab.target);
  cache?.context.model.dispose();
  const context: ModelContext = {
    model, config, sourceVocab: vocab.source, targetVocab: vocab.target,
    sourceTokenizer: vocab.tokenizers.source, targetTokenizer: shapeTargetTokenizer(resolvedShape(config.shape), vocab.tokenizers.target), sourceToTarget,
  };
  cache = { key, context };
  return context;
}

export function releaseModel(): void {
  cache?.context.model.dispose();
  cache = undefined;
}

export interface TranslateOptions {
  beamSize?: number;
  lengthPenalty?: number;
  maxLength?: number;
  /** Sample instead of searching: `samples` draws per line, best first by log-probability. */
  sampling?: { temperature: number; topK: number; samples: number; seed: number };
  /** What-if: outputs start with these target tokens, then greedy decoding continues (see forcedDecode). */
  forcedPrefix?: string[];
}

/** Target-vocabulary ids of a forced prefix; a token the model cannot produce is a DataError. */
export function forcedPrefixIds(context: ModelContext, tokens: readonly string[]): number[] {
  return tokens.map(token => {
    const id = context.targetVocab.id(token);
    if (id === UNK_ID && token !== SPECIAL_TOKENS[UNK_ID]) throw new DataError(`"${token}" is not in the model's target vocabulary`);
    if (id < UNK_ID) throw new DataError(`"${token}" is a special token and cannot be forced`);
    return id;
  });
}

export function translateLines(context: ModelContext, lines: string[], options: TranslateOptions = {}): Translation[] {
  const beamSize = options.beamSize ?? context.config.beamSize;
  const maxLength = options.maxLength ?? context.config.maxDecodeLength;
  const alpha = options.lengthPenalty ?? context.config.lengthPenalty;
  const tokenized = lines.map(line => context.sourceTokenizer.tokenize(line));
  const sources = tokenized.map(tokens => encodeSource(tokens, context.sourceVocab, context.config));
  const decodeContext = { model: context.model, sourceToTarget: context.sourceToTarget };
  let hypotheses: Hypothesis[][];
  if (context.model.labelHead) {
    // classify / tag: the label (tags) of each line; beams, sampling and prefixes do not apply.
    if (options.forcedPrefix || options.sampling) throw new DataError(`a ${context.model.kind} run predicts labels: forced prefixes and sampling need a decoder`);
    hypotheses = decodeAll(context, sources, 1);
  } else if (options.forcedPrefix) {
    const prefix = forcedPrefixIds(context, options.forcedPrefix);
    hypotheses = sources.map(source => [forcedDecode(decodeContext, source, prefix, maxLength)]);
  } else if (options.sampling) {
    const { temperature, topK, samples, seed } = options.sampling;
    const random = makeRng(`sample:${seed}`);
    hypotheses = sources.map(source => Array.from({ length: samples }, () => sampleDecode(decodeContext, source, { temperature, topK, maxLength, random }))
      .sort((a, b) => b.logProbability - a.logProbability));
  } else if (beamSize <= 1) {
    hypotheses = greedyDecode(decodeContext, sources, maxLength).map(h => [h]);
  } else {
    hypotheses = sources.map(source => beamSearch(decodeContext, source, { beamSize, lengthPenalty: alpha, maxLength }));
  }
  return lines.map((line, i) => toTranslation(context, line, tokenized[i], hypotheses[i]));
}

/** Scores the model on a TSV/JSONL file. */
export function evaluateFile(context: ModelContext, dataPath: string, beamSize = context.config.beamSize): { pairs: number; metrics: EvalMetrics; signatures: { bleu: string; chrf: string } } {
  const loaded = loadParallelFile(dataPath, { maxBadLineFraction: context.config.maxBadLineFraction });
  const pairs: ExamplePair[] = loaded.pairs.map((pair, i) => {
    const sourceTokens = context.sourceTokenizer.tokenize(pair.source);
    const targetTokens = context.targetTokenizer.tokenize(pair.target);
    if (context.model.kind === 'tag' && sourceTokens.length !== targetTokens.length) {
      throw new DataError(`shape tag needs one tag per source token: ${sourceTokens.length} source tokens but ${targetTokens.length} tags`, dataPath, loaded.lines[i]);
    }
    return {
      source: encodeSource(sourceTokens, context.sourceVocab, context.config),
      target: context.targetVocab.encode(targetTokens),
      sourceTokens, targetTokens,
      reference: context.targetTokenizer.detokenize(targetTokens),
      sourceText: pair.source,
    };
  });
  const { metrics, signatures } = evaluatePairs(context, pairs, beamSize);
  return { pairs: pairs.length, metrics, signatures };
}

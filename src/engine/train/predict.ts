/**
 * Predictions of a whole split, sample by sample, for the token-level diffs panel.
 *
 * The split is rebuilt exactly as training built it: the run's saved data source and config
 * go through `prepareData` with the run's saved vocabularies, so sample i is the same pair for
 * every checkpoint of the run and for every run that shares the data, seed and split fractions.
 * Decoding is batched (greedy) and yields to the event loop between batches, so a cancellation
 * message gets in and progress goes out.
 */
import * as fs from 'fs';
import type { PredictedSample, PredictRequest } from '../../shared/protocol';
import { confusionMatrix } from '../../shared/scoring';
import { detokenize } from '../data';
import { loadRunModel } from '../inference';
import { readCheckpointState } from './checkpoint';
import { prepareData } from './dataset';
import { decodeAll } from './evaluate';
import { RunDirectory } from './runDir';

export class PredictCancelledError extends Error {
  constructor() {
    super('prediction cancelled');
  }
}

export interface PredictHooks {
  /** Polled between batches; true stops with PredictCancelledError. */
  isCancelled?: () => boolean;
  /** Samples decoded so far and the batch just decoded, after every batch (and once at 0). */
  onProgress?: (done: number, total: number, batch: PredictedSample[]) => void;
}

/** Samples decoded per batch (greedy decoding is batched; beam search goes one by one). */
const BATCH = 64;

export type PredictResult = Omit<PredictRequest.Result, 'backend'>;

export async function predictSplit(runDir: string, options: Omit<PredictRequest.Params, 'runDir' | 'progressId'> = {}, hooks: PredictHooks = {}): Promise<PredictResult> {
  const run = new RunDirectory(runDir);
  const requested = options.checkpoint ?? 'best';
  // loadRunModel falls back to the last checkpoint when there is no best one yet: say so.
  const checkpoint: 'best' | 'last' = requested === 'best' && fs.existsSync(run.bestCheckpoint) ? 'best' : 'last';
  const context = loadRunModel(runDir, checkpoint);
  const file = checkpoint === 'best' ? run.bestCheckpoint : run.lastCheckpoint;
  const step = readCheckpointState(file).step;
  const saved = run.readConfig();
  const prepared = prepareData(saved.data, context.config, { source: context.sourceVocab, target: context.targetVocab, tokenizers: { source: context.sourceTokenizer, target: context.targetTokenizer } });
  const split = options.split ?? 'valid';
  const all = split === 'test' ? prepared.test : prepared.valid;
  const pairs = options.limit !== undefined ? all.slice(0, options.limit) : all;
  const beamSize = options.beamSize ?? 1;
  const samples: PredictedSample[] = [];
  hooks.onProgress?.(0, pairs.length, []);
  for (let start = 0; start < pairs.length; start += BATCH) {
    await new Promise(resolve => setImmediate(resolve)); // let cancellation messages in
    if (hooks.isCancelled?.()) throw new PredictCancelledError();
    const chunk = pairs.slice(start, start + BATCH);
    const hypotheses = decodeAll(context, chunk.map(p => p.source), beamSize);
    const first = samples.length;
    chunk.forEach((pair, i) => {
      const best = hypotheses[i][0];
      const predictionTokens = context.targetVocab.decode(best.ids);
      samples.push({
        index: start + i,
        source: pair.sourceText,
        sourceTokens: pair.sourceTokens,
        reference: pair.reference,
        referenceTokens: pair.targetTokens,
        ...(pair.references && pair.references.length > 1 ? { alternatives: pair.references.slice(1) } : {}),
        prediction: context.targetTokenizer.detokenize(predictionTokens),
        predictionTokens,
        probabilities: best.probabilities.slice(0, predictionTokens.length),
      });
    });
    hooks.onProgress?.(samples.length, pairs.length, samples.slice(first));
  }
  // classify: the matrix of these predictions (rows reference, columns predicted), as evaluation writes it.
  const confusion = prepared.shape === 'classify'
    ? confusionMatrix(samples.map(s => s.predictionTokens[0] ?? ''), samples.map(s => s.referenceTokens[0] ?? ''))
    : undefined;
  return { runDir, split, checkpoint, step, joiner: context.targetTokenizer.kind === 'char' ? '' : ' ', targetUnit: prepared.targetUnit, shape: prepared.shape, ...(confusion ? { confusion } : {}), samples };
}

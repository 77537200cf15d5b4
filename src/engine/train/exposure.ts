/**
 * Seeing exposure bias (seed 001, "Exposure Bias"): the same references scored two ways.
 *
 * - teacher-forced: at every position the decoder is fed the reference token before it — how
 *   the model is trained;
 * - free-running: the decoder is fed its own greedy prediction (argmax of the previous step) —
 *   how it is used — and still scored against the reference token at each position, for as
 *   many positions as the reference has (its tokens and </s>).
 *
 * Both report the mean cross-entropy per reference token and the share of positions whose
 * argmax is the reference token. Where the model's predictions equal the reference the two
 * feeds are identical and so are the scores; the gap (free-running loss − teacher-forced loss)
 * is what a model loses from never having seen its own mistakes in training (Bengio et al.
 * 2015; Ranzato et al. 2016).
 */
import * as tf from '@tensorflow/tfjs-core';
import { disposeBatch, EncodedPair, makeBatch } from '../model/batch';
import { perplexity } from '../../shared/scoring';
import { copyPriorOption, type ModelContext } from './modelContext';
import { forwardLogits } from './step';
import { maskedCrossEntropy } from './loss';

export type DecoderFeed = 'teacher-forced' | 'free-running';

export interface ReferenceScore {
  /** mean cross-entropy per reference token (</s> included) */
  loss: number;
  perplexity: number;
  /** share of reference positions whose argmax is the reference token, 0–1 */
  accuracy: number;
  /** reference positions scored */
  tokens: number;
}

const EVAL_BATCH = 64;

/** Scores `pairs`' references under `feed` (no dropout, no smoothing). */
export function scoreReferences(context: ModelContext, pairs: EncodedPair[], feed: DecoderFeed): ReferenceScore {
  let nll = 0;
  let correct = 0;
  let tokens = 0;
  for (let i = 0; i < pairs.length; i += EVAL_BATCH) {
    const chunk = pairs.slice(i, i + EVAL_BATCH);
    const batch = makeBatch(chunk, { copyPrior: copyPriorOption(context) });
    try {
      const [chunkNll, chunkCorrect] = tf.tidy(() => {
        const logits = forwardLogits(context.model, batch, {
          training: false, teacherForcing: feed === 'teacher-forced' ? 1 : 0, random: () => 1, labelSmoothing: 0,
        }); // [batch·tgtLen, vocab]
        const targets = tf.reshape(batch.targetOutput, [-1]) as tf.Tensor1D;
        const mask = tf.reshape(batch.targetMask, [-1]) as tf.Tensor1D;
        const hits = tf.sum(tf.mul(tf.cast(tf.equal(tf.cast(tf.argMax(logits, 1), 'int32'), targets), 'float32'), mask));
        return tf.stack([maskedCrossEntropy(logits, targets, mask, 0).negLogLikelihood, hits]).dataSync() as Float32Array;
      });
      nll += chunkNll;
      correct += chunkCorrect;
      tokens += chunk.reduce((s, p) => s + p.target.length + 1, 0);
    } finally {
      disposeBatch(batch);
    }
  }
  return { loss: tokens ? nll / tokens : 0, perplexity: perplexity(nll, tokens), accuracy: tokens ? correct / tokens : 0, tokens };
}

/** The exposure-bias fields of `EvalMetrics` from the two scores. */
export function exposureMetrics(teacherForced: ReferenceScore, freeRunning: ReferenceScore): { teacherForcedAccuracy: number; freeRunLoss: number; freeRunAccuracy: number; exposureGap: number } {
  return {
    teacherForcedAccuracy: teacherForced.accuracy,
    freeRunLoss: freeRunning.loss,
    freeRunAccuracy: freeRunning.accuracy,
    exposureGap: freeRunning.loss - teacherForced.loss,
  };
}

/**
 * Predictions of the label shapes (classify, tag): one forward pass of the encoder and the
 * label head per batch, the argmax of each row — no decoding loop. The special tokens
 * (<pad>, <s>, </s>, <unk>) are never predicted. Results come as the decoders' Hypothesis so
 * evaluation, translation and the diffs share one path: classify's ids are [label], tag's one
 * tag id per source token.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Seq2SeqModel } from '../model/seq2seq';
import { sourceTensors, UNK } from '../model/batch';
import type { Hypothesis } from './decode';

const BATCH = 64;

/** log-probabilities [n, labels] with the special tokens excluded. */
function labelLogProbs(logits: tf.Tensor2D): tf.Tensor2D {
  const banned = new Float32Array(logits.shape[1]);
  for (let id = 0; id <= UNK; id++) banned[id] = -1e9;
  return tf.logSoftmax(tf.add(logits, tf.tensor1d(banned))) as tf.Tensor2D;
}

/** The label (classify) or tags (tag) of each source, best first as a one-entry list's hypothesis. */
export function predictLabels(model: Seq2SeqModel, sources: number[][]): Hypothesis[] {
  const tagging = model.kind === 'tag';
  const out: Hypothesis[] = [];
  for (let start = 0; start < sources.length; start += BATCH) {
    const chunk = sources.slice(start, start + BATCH);
    const [best, bestLogProb, width] = tf.tidy(() => {
      const { sourceIds, sourceMask } = sourceTensors(chunk);
      const logProbs = labelLogProbs(model.labelLogits(sourceIds, sourceMask, false)); // classify [batch, labels]; tag [batch·srcLen, labels]
      return [tf.argMax(logProbs, 1).dataSync() as Int32Array, tf.max(logProbs, 1).dataSync() as Float32Array, sourceIds.shape[1]] as const;
    });
    chunk.forEach((source, b) => {
      const rows = tagging ? source.map((_, t) => b * width + t) : [b];
      const ids = rows.map(r => best[r]);
      const logProbability = rows.reduce((sum, r) => sum + bestLogProb[r], 0);
      out.push({ ids, probabilities: rows.map(r => Math.exp(bestLogProb[r])), logProbability, score: logProbability, attention: [], finished: true });
    });
  }
  return out;
}

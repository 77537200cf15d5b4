/**
 * Scoring the label shapes (classify, tag): the cross-entropy of the reference labels under
 * the label head (the counterpart of the decoder's teacher-forced score; there is nothing to
 * feed, so no free-running score), and macro-F1 and the confusion matrix of the predictions.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ConfusionMatrix } from '../../shared/protocol';
import { confusionMatrix, macroF1, perplexity } from '../../shared/scoring';
import { disposeBatch, EncodedPair, makeBatch } from '../model/batch';
import type { ExamplePair } from './dataset';
import type { ReferenceScore } from './exposure';
import { maskedCrossEntropy } from './loss';
import type { ModelContext } from './modelContext';
import { labelForward } from './step';

const EVAL_BATCH = 64;

/** Mean cross-entropy per reference label (tag), its perplexity and the argmax accuracy (no dropout, no smoothing). */
export function scoreLabels(context: ModelContext, pairs: EncodedPair[]): ReferenceScore {
  let nll = 0;
  let correct = 0;
  let tokens = 0;
  for (let i = 0; i < pairs.length; i += EVAL_BATCH) {
    const chunk = pairs.slice(i, i + EVAL_BATCH);
    const batch = makeBatch(chunk, { labels: true });
    try {
      const [chunkNll, chunkCorrect, chunkTokens] = tf.tidy(() => {
        const { logits, targets, mask } = labelForward(context.model, batch, { training: false }); // logits [rows, labels]
        const hits = tf.sum(tf.mul(tf.cast(tf.equal(tf.cast(tf.argMax(logits, 1), 'int32'), targets), 'float32'), mask));
        return tf.stack([maskedCrossEntropy(logits, targets, mask, 0).negLogLikelihood, hits, tf.sum(mask)]).dataSync() as Float32Array;
      });
      nll += chunkNll;
      correct += chunkCorrect;
      tokens += chunkTokens;
    } finally {
      disposeBatch(batch);
    }
  }
  return { loss: tokens ? nll / tokens : 0, perplexity: perplexity(nll, tokens), accuracy: tokens ? correct / tokens : 0, tokens };
}

/**
 * The (predicted, reference) label pairs of the outputs: classify one per output (its first
 * reference), tag one per reference tag (a missing prediction counts as the empty label).
 */
function labelPairs(tagging: boolean, outputs: ReadonlyArray<{ tokens: string[] }>, pairs: ReadonlyArray<Pick<ExamplePair, 'targetTokens'>>): { predicted: string[]; references: string[] } {
  const predicted: string[] = [];
  const references: string[] = [];
  outputs.forEach((output, i) => {
    const reference = pairs[i].targetTokens;
    const count = tagging ? reference.length : 1;
    for (let t = 0; t < count; t++) {
      predicted.push(output.tokens[t] ?? '');
      references.push(reference[t] ?? '');
    }
  });
  return { predicted, references };
}

/** Macro-F1 of the outputs, and for classify the confusion matrix. */
export function labelMetrics(context: ModelContext, outputs: ReadonlyArray<{ tokens: string[] }>, pairs: ReadonlyArray<Pick<ExamplePair, 'targetTokens'>>): { macroF1: number; confusion?: ConfusionMatrix } {
  const tagging = context.model.kind === 'tag';
  const { predicted, references } = labelPairs(tagging, outputs, pairs);
  return { macroF1: macroF1(predicted, references), ...(tagging ? {} : { confusion: confusionMatrix(predicted, references) }) };
}

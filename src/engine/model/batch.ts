/**
 * Turns encoded sentence pairs into padded tensors.
 *
 * Pairs hold token ids without specials; here the target gets <s> in front for the decoder
 * input and </s> at the end for the output. Sources are right-padded with <pad> (id 0).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BatchTensors } from './seq2seq';

export const PAD = 0;
export const BOS = 1;
export const EOS = 2;
export const UNK = 3;

export interface EncodedPair {
  /** source token ids in model order (already reversed when reverseSource is on) */
  source: number[];
  /** target token ids, no <s> or </s> */
  target: number[];
}

/**
 * 0/1 rows [batch, targetVocab] marking target-vocabulary tokens that occur in each source
 * (the copy prior's x). `sourceToTarget[sourceId]` is the target id of the same string, or -1.
 */
export function copyPresenceRows(sources: number[][], sourceToTarget: Int32Array, targetVocabSize: number): tf.Tensor2D {
  const rows = new Float32Array(sources.length * targetVocabSize);
  sources.forEach((source, b) => {
    for (const id of source) {
      const target = sourceToTarget[id] ?? -1;
      if (target > UNK) rows[b * targetVocabSize + target] = 1;
    }
  });
  return tf.tensor2d(rows, [sources.length, targetVocabSize]);
}

/** Source ids and mask, padded to the longest source (or `padTo`). */
export function sourceTensors(sources: number[][], padTo = 0): { sourceIds: tf.Tensor2D; sourceMask: tf.Tensor2D } {
  const length = Math.max(1, padTo, ...sources.map(s => s.length));
  const ids = new Int32Array(sources.length * length);
  const mask = new Float32Array(sources.length * length);
  sources.forEach((source, b) => {
    source.forEach((id, t) => {
      ids[b * length + t] = id;
      mask[b * length + t] = 1;
    });
  });
  return {
    sourceIds: tf.tensor2d(ids, [sources.length, length], 'int32'),
    sourceMask: tf.tensor2d(mask, [sources.length, length]),
  };
}

export interface BatchOptions {
  /** Extra padding columns (tests of padding invariance). */
  padSourceTo?: number;
  padTargetTo?: number;
  copyPrior?: { sourceToTarget: Int32Array; targetVocabSize: number };
  /**
   * Targets are labels (shapes classify and tag): `targetOutput` holds the target ids as they
   * are — classify's one label, tag's one tag per source token, at the source's positions — with
   * no </s>; `targetInput` is all <pad> (there is no decoder to feed).
   */
  labels?: boolean;
}

export function makeBatch(pairs: EncodedPair[], options: BatchOptions = {}): BatchTensors {
  const { sourceIds, sourceMask } = sourceTensors(pairs.map(p => p.source), options.padSourceTo);
  if (options.labels) return { sourceIds, sourceMask, ...labelTensors(pairs, options.padTargetTo ?? 0) };
  const length = Math.max(options.padTargetTo ?? 0, ...pairs.map(p => p.target.length + 1));
  const input = new Int32Array(pairs.length * length);
  const output = new Int32Array(pairs.length * length);
  const mask = new Float32Array(pairs.length * length);
  pairs.forEach((pair, b) => {
    const row = b * length;
    input[row] = BOS;
    pair.target.forEach((id, t) => {
      input[row + t + 1] = id;
      output[row + t] = id;
      mask[row + t] = 1;
    });
    output[row + pair.target.length] = EOS;
    mask[row + pair.target.length] = 1;
    // input[row + target.length + 1 …] stays <pad>: those steps are masked out of the loss.
  });
  const batch: BatchTensors = {
    sourceIds,
    sourceMask,
    targetInput: tf.tensor2d(input, [pairs.length, length], 'int32'),
    targetOutput: tf.tensor2d(output, [pairs.length, length], 'int32'),
    targetMask: tf.tensor2d(mask, [pairs.length, length]),
  };
  if (options.copyPrior) {
    batch.copyPresence = copyPresenceRows(pairs.map(p => p.source), options.copyPrior.sourceToTarget, options.copyPrior.targetVocabSize);
  }
  return batch;
}

/** The label targets of `makeBatch` with `labels`: [batch, longest target (or padTo)], no </s>. */
function labelTensors(pairs: EncodedPair[], padTo: number): Pick<BatchTensors, 'targetInput' | 'targetOutput' | 'targetMask'> {
  const length = Math.max(1, padTo, ...pairs.map(p => p.target.length));
  const output = new Int32Array(pairs.length * length);
  const mask = new Float32Array(pairs.length * length);
  pairs.forEach((pair, b) => {
    pair.target.forEach((id, t) => {
      output[b * length + t] = id;
      mask[b * length + t] = 1;
    });
  });
  return {
    targetInput: tf.zeros([pairs.length, length], 'int32') as tf.Tensor2D,
    targetOutput: tf.tensor2d(output, [pairs.length, length], 'int32'),
    targetMask: tf.tensor2d(mask, [pairs.length, length]),
  };
}

export function disposeBatch(batch: BatchTensors): void {
  for (const tensor of Object.values(batch)) (tensor as tf.Tensor | undefined)?.dispose();
}

/** Real target tokens in a batch (targets plus </s>; with `labels`, the labels alone). */
export function targetTokenCount(pairs: EncodedPair[], options: Pick<BatchOptions, 'labels'> = {}): number {
  return pairs.reduce((sum, p) => sum + p.target.length + (options.labels ? 0 : 1), 0);
}

/**
 * One forward pass with loss, and one optimisation step.
 *
 * Teacher forcing with probability 1 and no input feeding takes the parallel decoder path;
 * otherwise the decoder runs step by step and, at each step and for each sentence, feeds the
 * reference token with probability `teacherForcing` and the model's own argmax otherwise
 * (scheduled sampling, Bengio et al. 2015). Sampled tokens are discrete: no gradient flows
 * through the choice, as in the paper.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Seq2SeqModel, BatchTensors } from '../model/seq2seq';
import { LossTensors, maskedCrossEntropy, projectedCrossEntropy } from './loss';
import type { Optimizer } from './optimizer';
import { adversarialGradients, type EmbeddingOffsets, type LossAtOffsets } from './adversarial';
import type { BatchGradients } from './gradients';

export interface ForwardOptions {
  training: boolean;
  /** Probability of feeding the reference token at each step. */
  teacherForcing: number;
  /** Uniform [0,1) source for the teacher-forcing coin flips. */
  random: () => number;
  labelSmoothing: number;
  /** Force the step-by-step path (tests compare both paths). */
  forceStepwise?: boolean;
  /** Added to the looked-up embeddings of the batch (adversarial training, adversarial.ts). */
  embeddingOffsets?: EmbeddingOffsets;
}

/** Teacher forcing throughout and no input feeding: the whole target decodes in parallel. */
function parallelPath(model: Seq2SeqModel, options: ForwardOptions): boolean {
  return options.teacherForcing >= 1 && !model.config.inputFeeding && !options.forceStepwise;
}

/** The decoder's logits [batch·tgtLen, vocab] (row-major over (batch, time)) for the batch's target positions. */
export function forwardLogits(model: Seq2SeqModel, batch: BatchTensors, options: ForwardOptions): tf.Tensor2D {
  const offsets = options.embeddingOffsets;
  const encoded = model.encode(batch.sourceIds, batch.sourceMask, options.training, batch.copyPresence, offsets?.source);
  if (parallelPath(model, options)) return model.decodeParallel(encoded, batch.targetInput, options.training, offsets?.target).logits;
  const [batchSize, targetLength] = batch.targetInput.shape;
  const goldSteps = tf.unstack(batch.targetInput, 1) as tf.Tensor1D[]; // tgtLen × [batch]
  const stepOffsets = offsets && tf.unstack(offsets.target, 1) as tf.Tensor2D[]; // tgtLen × [batch, emb]
  let state = model.initialStepState(encoded);
  let previous = goldSteps[0];
  const stepLogits: tf.Tensor2D[] = [];
  for (let t = 0; t < targetLength; t++) {
    if (t > 0) {
      const useGold: boolean[] = [];
      // teacherForcing 1 feeds the reference whatever the draw (a draw of 1 would otherwise read as "own prediction").
      for (let b = 0; b < batchSize; b++) useGold.push(options.teacherForcing >= 1 || options.random() < options.teacherForcing);
      if (useGold.every(Boolean)) previous = goldSteps[t];
      else {
        const predicted = tf.cast(tf.argMax(stepLogits[t - 1], 1), 'int32') as tf.Tensor1D; // [batch]
        previous = tf.where(tf.tensor1d(useGold, 'bool'), goldSteps[t], predicted);
      }
    }
    const out = model.decodeStep(encoded, previous, state, options.training, stepOffsets?.[t]);
    stepLogits.push(out.logits);
    state = out.next;
  }
  return tf.reshape(tf.stack(stepLogits, 1), [batchSize * targetLength, -1]) as tf.Tensor2D;
}

/**
 * classify and tag: the label head's logits and the matching targets and mask — classify one
 * row per pair (its label), tag one per source position (its tag; padding masked).
 */
export function labelForward(model: Seq2SeqModel, batch: BatchTensors, options: Pick<ForwardOptions, 'training' | 'embeddingOffsets'>): { logits: tf.Tensor2D; targets: tf.Tensor1D; mask: tf.Tensor1D } {
  const logits = model.labelLogits(batch.sourceIds, batch.sourceMask, options.training, options.embeddingOffsets?.source);
  if (model.kind === 'classify') {
    const targets = tf.reshape(tf.slice(batch.targetOutput, [0, 0], [-1, 1]), [-1]) as tf.Tensor1D; // [batch]
    const mask = tf.reshape(tf.slice(batch.targetMask, [0, 0], [-1, 1]), [-1]) as tf.Tensor1D; // [batch]
    return { logits, targets, mask };
  }
  const sourceLength = batch.sourceIds.shape[1];
  if (batch.targetOutput.shape[1] !== sourceLength) throw new Error(`tag batch: ${batch.targetOutput.shape[1]} tag columns for ${sourceLength} source positions`);
  return { logits, targets: tf.reshape(batch.targetOutput, [-1]) as tf.Tensor1D, mask: tf.reshape(batch.targetMask, [-1]) as tf.Tensor1D }; // [batch·srcLen]
}

export function batchLoss(model: Seq2SeqModel, batch: BatchTensors, options: ForwardOptions): LossTensors {
  if (model.labelHead) {
    const { logits, targets, mask } = labelForward(model, batch, options);
    return maskedCrossEntropy(logits, targets, mask, options.labelSmoothing);
  }
  const targets = tf.reshape(batch.targetOutput, [-1]) as tf.Tensor1D;
  const mask = tf.reshape(batch.targetMask, [-1]) as tf.Tensor1D;
  if (parallelPath(model, options)) {
    // Projection and loss fused over vocabulary chunks (loss.ts): the logits never exist whole.
    const offsets = options.embeddingOffsets;
    const encoded = model.encode(batch.sourceIds, batch.sourceMask, options.training, batch.copyPresence, offsets?.source);
    const { vectors, output } = model.decodeParallelVectors(encoded, batch.targetInput, options.training, offsets?.target);
    return projectedCrossEntropy(vectors, output, targets, mask, options.labelSmoothing);
  }
  return maskedCrossEntropy(forwardLogits(model, batch, options), targets, mask, options.labelSmoothing);
}

export interface StepResult {
  loss: number;
  gradientNorm: number;
}

export class DivergedError extends Error {}

export type { BatchGradients };

/**
 * The loss at embedding offsets; every call draws the same teacher-forcing coin flips and
 * dropout masks as the first, so that between two passes only the offsets differ.
 */
function replayingLoss(model: Seq2SeqModel, batch: BatchTensors, options: ForwardOptions): LossAtOffsets {
  const draws: number[] = [];
  const dropoutStart = model.dropoutPosition;
  return offsets => {
    let next = 0;
    const random = () => {
      if (next === draws.length) draws.push(options.random());
      return draws[next++];
    };
    model.dropoutPosition = dropoutStart;
    return batchLoss(model, batch, { ...options, random, embeddingOffsets: offsets }).loss;
  };
}

export function computeGradients(model: Seq2SeqModel, batch: BatchTensors, options: ForwardOptions): BatchGradients {
  if (options.training && model.config.adversarial !== 'none') {
    return adversarialGradients(model, batch, replayingLoss(model, batch, options));
  }
  const names = model.params.names();
  const variables = names.map(n => model.params.get(n));
  const { value, grads } = tf.variableGrads(() => batchLoss(model, batch, options).loss, variables);
  const byName = new Map<string, tf.Tensor>();
  names.forEach(n => {
    const g = grads[model.params.get(n).name];
    if (g) byName.set(n, g);
  });
  return { loss: value, grads: byName };
}

/**
 * Clips `grads` by global norm and applies them — unless the loss or the gradient norm is
 * NaN/Inf, in which case nothing is applied and DivergedError is thrown. Does not dispose
 * `grads` or `loss`.
 */
export function applyGradients(optimizer: Optimizer, loss: tf.Scalar | number, grads: Map<string, tf.Tensor>, options: { learningRate: number; clipNorm: number }): StepResult {
  const [lossValue, gradientNorm] = tf.tidy(() => {
    const squares = [...grads.values()].map(g => tf.sum(tf.square(g)));
    const norm = tf.sqrt(tf.addN(squares));
    return tf.stack([typeof loss === 'number' ? tf.scalar(loss) : loss, norm]).dataSync() as Float32Array;
  });
  if (!Number.isFinite(lossValue) || !Number.isFinite(gradientNorm)) {
    throw new DivergedError(`loss became ${Number.isFinite(lossValue) ? gradientNorm : lossValue} (${Number.isFinite(lossValue) ? 'gradient norm' : 'loss'}); lower the learning rate or enable gradient clipping`);
  }
  const scale = options.clipNorm > 0 && gradientNorm > options.clipNorm ? options.clipNorm / gradientNorm : 1;
  optimizer.apply(grads, options.learningRate, scale);
  return { loss: lossValue, gradientNorm };
}

/**
 * Computes gradients, clips them by global norm, and applies them — unless the loss or the
 * gradient norm is NaN/Inf, in which case nothing is applied and DivergedError is thrown.
 */
export function trainStep(model: Seq2SeqModel, optimizer: Optimizer, batch: BatchTensors, options: ForwardOptions & { learningRate: number; clipNorm: number }): StepResult {
  const { loss, grads } = computeGradients(model, batch, options);
  try {
    return applyGradients(optimizer, loss, grads, options);
  } finally {
    loss.dispose();
    grads.forEach(g => g.dispose());
  }
}

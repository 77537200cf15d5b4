/**
 * Self-critical sequence training (Rennie et al. 2017; seed 001 names reinforcement learning
 * among the remedies of exposure bias): the model is trained on sequences it produced itself.
 *
 * For each source x of the batch, `rlSamples` sequences yˢ are sampled from the model
 * (multinomial, temperature 1) and one ŷ is decoded greedily; with r the sentence reward
 * (reward.ts) the loss is
 *
 *   L_rl = −1/N · Σ_s (r(yˢ) − r(ŷ)) · Σ_t log p(yˢ_t | yˢ_<t, x)
 *
 * over the N sampled sequences, t running over each sample's tokens up to and including its
 * </s> (a sample cut off at the length limit has no </s> to count). The log-probabilities come
 * from teacher-forcing the sampled sequence through the decoder (the same distribution the
 * decoder sampled from: <pad> and <s> excluded), so gradients flow through them only: the
 * rewards and the greedy baseline are constants. A sample better than the greedy decode is
 * made more likely, a worse one less. With `rlMixWeight` w the step minimises
 * (1 − w)·L_rl + w·L_xent, L_xent the usual cross-entropy of the references.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { StepReward } from '../../shared/protocol';
import { greedyDecode, type Hypothesis, sampleDecodeBatch, stepLogProbs } from '../decode/decode';
import { type BatchOptions, disposeBatch, makeBatch } from '../model/batch';
import type { BatchTensors, Seq2SeqModel } from '../model/seq2seq';
import type { ExamplePair } from './dataset';
import type { BatchGradients } from './gradients';
import { copyPriorOption, type ModelContext } from './modelContext';
import type { Optimizer } from './optimizer';
import { pairReference, RewardReference, sentenceReward } from './reward';
import { applyGradients, batchLoss, forwardLogits, type StepResult } from './step';

/** A sequence the model produced for a source. */
export interface SampledSequence {
  /** source ids in model order */
  source: number[];
  /** output ids without </s> */
  ids: number[];
  /** true when it ended with </s> (then </s> is one of its tokens) */
  finished: boolean;
}

/**
 * The samples as a teacher-forcing batch: decoder input <s> yˢ, output yˢ </s>, the mask 1 over
 * the sample's tokens and its </s>, 0 at the </s> position of a sample that never produced one.
 */
export function sampledBatch(samples: readonly SampledSequence[], copyPrior?: BatchOptions['copyPrior']): BatchTensors {
  const batch = makeBatch(samples.map(s => ({ source: s.source, target: s.ids })), { copyPrior });
  if (samples.every(s => s.finished)) return batch;
  const [rows, length] = batch.targetMask.shape;
  const mask = batch.targetMask.dataSync().slice() as Float32Array;
  samples.forEach((s, b) => {
    if (!s.finished) mask[b * length + s.ids.length] = 0;
  });
  batch.targetMask.dispose();
  batch.targetMask = tf.tensor2d(mask, [rows, length]);
  return batch;
}

/**
 * −1/N · Σ_b advantage_b · Σ_t mask_bt · log p(output_bt): the REINFORCE loss of the N
 * sequences of `batch` (from `sampledBatch`), each weighted by its advantage r − b.
 */
export function reinforceLoss(model: Seq2SeqModel, batch: BatchTensors, advantages: tf.Tensor1D, training: boolean): tf.Scalar {
  const [rows, length] = batch.targetOutput.shape;
  const logits = forwardLogits(model, batch, { training, teacherForcing: 1, random: () => 0, labelSmoothing: 0 }); // [rows·length, vocab]
  const logProbs = stepLogProbs(logits);
  const targets = tf.reshape(batch.targetOutput, [-1]) as tf.Tensor1D;
  const picked = tf.reshape(tf.sum(tf.mul(tf.oneHot(targets, logProbs.shape[1]), logProbs), 1), [rows, length]);
  const sequenceLogProb = tf.sum(tf.mul(picked, batch.targetMask), 1); // [rows]
  return tf.div(tf.neg(tf.sum(tf.mul(advantages, sequenceLogProb))), rows) as tf.Scalar;
}

export interface ScstOptions {
  /** Uniform [0,1) draws of the sampling. */
  random: () => number;
  /** Dropout in the teacher-forced passes. */
  training: boolean;
  /** For the cross-entropy share (rlMixWeight > 0). */
  teacherForcing: number;
  forwardRandom: () => number;
  labelSmoothing: number;
}

export interface ScstGradients extends BatchGradients {
  reward: StepReward;
}

/** The outputs of `hypotheses` with their rewards against the references `referenceOf(i)`. */
function rewards(context: ModelContext, hypotheses: readonly Hypothesis[], referenceOf: (i: number) => RewardReference): number[] {
  return hypotheses.map((h, i) => {
    const tokens = context.targetVocab.decode(h.ids);
    const output = { tokens, output: context.targetTokenizer.detokenize(tokens) };
    return sentenceReward(context.config.rlReward, output, referenceOf(i));
  });
}

/** Samples, greedy baselines and rewards of one batch, then the gradients of the SCST loss. */
export function scstGradients(context: ModelContext, pairs: readonly ExamplePair[], options: ScstOptions): ScstGradients {
  const { model, config } = context;
  const decodeContext = { model, sourceToTarget: context.sourceToTarget };
  const k = config.rlSamples;
  const sources = pairs.map(p => p.source);
  // Each pair's references once per batch: the greedy baseline and every sample read them.
  const references = pairs.map(p => pairReference(context, p));
  const greedy = greedyDecode(decodeContext, sources, config.maxDecodeLength);
  const baseline = rewards(context, greedy, i => references[i]);
  const repeated = sources.flatMap(source => Array.from({ length: k }, () => source)); // source-major: k samples each
  const sampled = sampleDecodeBatch(decodeContext, repeated, { maxLength: config.maxDecodeLength, random: options.random });
  const sampleRewards = rewards(context, sampled, i => references[Math.floor(i / k)]);
  const advantages = tf.tensor1d(sampleRewards.map((r, i) => r - baseline[Math.floor(i / k)]));
  const samples = sampled.map((h, i) => ({ source: repeated[i], ids: h.ids, finished: h.finished }));
  const copyPrior = copyPriorOption(context);
  const rlBatch = sampledBatch(samples, copyPrior);
  const w = config.rlMixWeight;
  const referenceBatch = w > 0 ? makeBatch(pairs as ExamplePair[], { copyPrior }) : undefined;
  try {
    const names = model.params.names();
    const { value, grads } = tf.variableGrads(() => {
      const rl = reinforceLoss(model, rlBatch, advantages, options.training);
      if (!referenceBatch) return rl;
      const xent = batchLoss(model, referenceBatch, { training: options.training, teacherForcing: options.teacherForcing, random: options.forwardRandom, labelSmoothing: options.labelSmoothing }).loss;
      return tf.add(tf.mul(rl, 1 - w), tf.mul(xent, w)) as tf.Scalar;
    }, names.map(n => model.params.get(n)));
    const byName = new Map<string, tf.Tensor>();
    names.forEach(n => {
      const g = grads[model.params.get(n).name];
      if (g) byName.set(n, g);
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    return { loss: value, grads: byName, reward: { sampled: mean(sampleRewards), greedy: mean(baseline) } };
  } finally {
    advantages.dispose();
    disposeBatch(rlBatch);
    if (referenceBatch) disposeBatch(referenceBatch);
  }
}

/** One SCST optimizer step: gradients (scstGradients), clipped and applied as any step's. */
export function scstStep(context: ModelContext, optimizer: Optimizer, pairs: readonly ExamplePair[], options: ScstOptions & { learningRate: number; clipNorm: number }): StepResult & { reward: StepReward } {
  const { loss, grads, reward } = scstGradients(context, pairs, options);
  try {
    return { ...applyGradients(optimizer, loss, grads, options), reward };
  } finally {
    loss.dispose();
    grads.forEach(g => g.dispose());
  }
}

/**
 * Adversarial training on the embeddings — seed 001 names it among the remedies of exposure
 * bias: "对抗训练 (梯度惩罚)", adversarial training (gradient penalty).
 *
 * Both forms start from g = ∂L/∂e, the gradient of the batch's mean loss L with respect to the
 * looked-up embeddings e of the batch (source tokens and decoder inputs), taken in the same
 * backward pass as the parameters' gradient: zero offsets are added to e as temporary
 * variables, and their gradient is g.
 *
 * - `fgm` (Miyato, Dai & Goodfellow 2017, fast gradient method): r = ε·g_b/‖g_b‖ for each
 *   sentence b, the norm over all of that sentence's embeddings (source and decoder input), as
 *   the paper normalises per example; a second forward/backward at e + r with r a constant; the
 *   update is ∇θL(e) + ∇θL(e + r).
 * - `penalty`: the objective L + λ·N·‖∇ₑL‖², N the batch's real target tokens. L is a mean, so
 *   this is L + λ·‖∇ₑS‖²/N for the summed loss S: λ means the same at every batch size, and a
 *   batch split over worker threads gives the same update. Its gradient needs ∇θ‖∇ₑL‖² = 2·H·g
 *   with H = ∂²L/∂θ∂e, a Hessian-vector product. tfjs's double backprop cannot give it here: the
 *   fused recurrence and the embedding lookup are custom-gradient ops whose hand-written backward
 *   passes are not differentiated again (their saved forward values enter as constants). So H·g
 *   is a finite difference of first-order gradients, H·g ≈ ‖g‖/δ·(∇θL(e + δ·ĝ) − ∇θL(e)),
 *   ĝ = g/‖g‖: one extra forward/backward, as for FGM, with a one-sided error of order δ.
 *
 * The two are the same idea to first order: L(e + ε·ĝ) ≈ L(e) + ε·‖g‖, so FGM penalises ‖g‖ and
 * the penalty ‖g‖². Only training steps use them; evaluation and decoding see clean embeddings.
 * The loss reported for a step is the clean L.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BatchTensors, Seq2SeqModel } from '../model/seq2seq';
import type { BatchGradients } from './gradients';

/** Tensors added to the looked-up embeddings of a batch. */
export interface EmbeddingOffsets extends tf.TensorContainerObject {
  /** [batch, srcLen, emb] */
  source: tf.Tensor3D;
  /** [batch, tgtLen, emb], the decoder's input tokens */
  target: tf.Tensor3D;
}

/** The batch's mean loss with `offsets` added to its embeddings. */
export type LossAtOffsets = (offsets: EmbeddingOffsets) => tf.Scalar;

/**
 * Penalty: the finite-difference step δ is this times √(real source + target tokens) — about
 * this much displacement per token, small against embeddings of norm ~0.1–1, large against
 * float32 rounding of the gradients.
 */
export const PENALTY_STEP_PER_TOKEN = 1e-3;

/** r = ε·g_b/‖g_b‖ per sentence b, ‖·‖ the L2 norm over that sentence's source and target rows together. */
export function fgmPerturbation(gradients: EmbeddingOffsets, epsilon: number): EmbeddingOffsets {
  return tf.tidy(() => {
    const squares = tf.add(tf.sum(tf.square(gradients.source), [1, 2]), tf.sum(tf.square(gradients.target), [1, 2])); // [batch]
    const scale = tf.reshape(tf.div(epsilon, tf.add(tf.sqrt(squares), 1e-12)), [-1, 1, 1]); // [batch, 1, 1]
    return { source: tf.mul(gradients.source, scale) as tf.Tensor3D, target: tf.mul(gradients.target, scale) as tf.Tensor3D };
  });
}

interface GradientsAtOffsets extends BatchGradients {
  /** ∂L/∂offsets, when asked for */
  offsets?: EmbeddingOffsets;
}

/** The loss at `offsets` and its gradients by parameter name (and, with `differentiate`, by the offsets). */
function gradientsAt(model: Seq2SeqModel, lossAt: LossAtOffsets, offsets: EmbeddingOffsets, differentiate: boolean): GradientsAtOffsets {
  const names = model.params.names();
  const variables = names.map(n => model.params.get(n));
  const asVariables = differentiate ? { source: tf.variable(offsets.source), target: tf.variable(offsets.target) } : undefined;
  try {
    const list = asVariables ? [...variables, asVariables.source, asVariables.target] : variables;
    const { value, grads } = tf.variableGrads(() => lossAt(asVariables ?? offsets), list);
    const byName = new Map<string, tf.Tensor>();
    names.forEach(n => {
      const g = grads[model.params.get(n).name];
      if (g) byName.set(n, g);
    });
    const offsetGradients = asVariables && { source: grads[asVariables.source.name] as tf.Tensor3D, target: grads[asVariables.target.name] as tf.Tensor3D };
    return { loss: value, grads: byName, offsets: offsetGradients };
  } finally {
    asVariables?.source.dispose();
    asVariables?.target.dispose();
  }
}

const disposeOffsets = (offsets?: EmbeddingOffsets) => { offsets?.source.dispose(); offsets?.target.dispose(); };

/**
 * The training gradients of one batch under `model.config.adversarial` (fgm or penalty), from
 * two forward/backward passes. The caller disposes the result, as for `computeGradients`.
 */
export function adversarialGradients(model: Seq2SeqModel, batch: BatchTensors, lossAt: LossAtOffsets): BatchGradients {
  const config = model.config;
  const [rows, sourceLength] = batch.sourceIds.shape;
  const targetLength = batch.targetInput.shape[1];
  const zeros = { source: tf.zeros([rows, sourceLength, config.embeddingSize]) as tf.Tensor3D, target: tf.zeros([rows, targetLength, config.embeddingSize]) as tf.Tensor3D };
  const clean = gradientsAt(model, lossAt, zeros, true);
  disposeOffsets(zeros);
  const g = clean.offsets!;
  let perturbation: EmbeddingOffsets;
  let combine: (cleanGradient: tf.Tensor, perturbedGradient: tf.Tensor) => tf.Tensor;
  let coefficient: tf.Scalar | undefined;
  if (config.adversarial === 'fgm') {
    perturbation = fgmPerturbation(g, config.adversarialEpsilon);
    combine = (a, b) => tf.add(a, b);
  } else {
    [perturbation, coefficient] = tf.tidy(() => {
      const norm = tf.sqrt(tf.add(tf.sum(tf.square(g.source)), tf.sum(tf.square(g.target)))); // ‖g‖ over the batch
      const step = tf.mul(PENALTY_STEP_PER_TOKEN, tf.sqrt(tf.add(tf.sum(batch.sourceMask), tf.sum(batch.targetMask)))); // δ
      const scale = tf.div(step, tf.add(norm, 1e-12)); // δ/‖g‖
      // ∇θ(λN‖g‖²) = 2λN·H·g ≈ 2λN·‖g‖/δ · (∇θL(e + δĝ) − ∇θL(e))
      const factor = tf.div(tf.mul(2 * config.gradientPenaltyWeight, tf.mul(tf.sum(batch.targetMask), norm)), step) as tf.Scalar;
      return [{ source: tf.mul(g.source, scale) as tf.Tensor3D, target: tf.mul(g.target, scale) as tf.Tensor3D }, factor] as const;
    });
    combine = (a, b) => tf.add(a, tf.mul(coefficient!, tf.sub(b, a)));
  }
  disposeOffsets(g);
  let perturbed: GradientsAtOffsets | undefined;
  try {
    perturbed = gradientsAt(model, lossAt, perturbation, false);
    const grads = new Map<string, tf.Tensor>();
    for (const name of new Set([...clean.grads.keys(), ...perturbed.grads.keys()])) {
      const a = clean.grads.get(name);
      const b = perturbed.grads.get(name);
      grads.set(name, tf.tidy(() => combine(a ?? tf.zerosLike(b!), b ?? tf.zerosLike(a!))));
    }
    return { loss: clean.loss, grads };
  } catch (error) {
    clean.loss.dispose();
    throw error;
  } finally {
    clean.grads.forEach(t => t.dispose());
    perturbed?.loss.dispose();
    perturbed?.grads.forEach(t => t.dispose());
    disposeOffsets(perturbation);
    coefficient?.dispose();
  }
}

/**
 * Masked cross-entropy with label smoothing.
 *
 * Padding positions (mask 0) contribute nothing, so adding padding changes neither the loss
 * nor its gradient. With smoothing ε the target distribution is (1−ε)·onehot + ε/V.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface LossTensors {
  /** Mean smoothed loss per real target token: what training minimises. */
  loss: tf.Scalar;
  /** Sum of the unsmoothed negative log-likelihood over real tokens (for perplexity). */
  negLogLikelihood: tf.Scalar;
}

/** logits [n, vocab]; targets [n] int32; mask [n] float 1/0. */
export function maskedCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, mask: tf.Tensor1D, labelSmoothing: number): LossTensors {
  const vocab = logits.shape[1];
  const logProbs = tf.logSoftmax(logits); // [n, vocab]
  const tokenNll = tf.neg(tf.sum(tf.mul(tf.oneHot(targets, vocab), logProbs), 1)) as tf.Tensor1D; // [n]
  let tokenLoss: tf.Tensor1D = tokenNll;
  if (labelSmoothing > 0) {
    const uniformNll = tf.neg(tf.mean(logProbs, 1)); // [n]: cross-entropy against the uniform distribution
    tokenLoss = tf.add(tf.mul(tokenNll, 1 - labelSmoothing), tf.mul(uniformNll, labelSmoothing)) as tf.Tensor1D;
  }
  const tokenCount = tf.maximum(tf.sum(mask), 1);
  return {
    loss: tf.div(tf.sum(tf.mul(tokenLoss, mask)), tokenCount) as tf.Scalar,
    negLogLikelihood: tf.sum(tf.mul(tokenNll, mask)) as tf.Scalar,
  };
}

/**
 * What one batch's backward pass hands to the optimizer step (step.ts, parallel.ts,
 * adversarial.ts): apart from step.ts so that adversarial.ts, which step.ts calls, needs no
 * import back.
 */
import type * as tf from '@tensorflow/tfjs-core';

/** Gradients of the mean loss of one batch (not yet applied). The caller disposes them. */
export interface BatchGradients {
  /** the batch's mean loss per real target token */
  loss: tf.Scalar;
  /** by parameter name; parameters the loss does not reach are absent */
  grads: Map<string, tf.Tensor>;
}

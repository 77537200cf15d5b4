/**
 * Per-step padding masks for the recurrence: what `RecurrentLayer.run` takes.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-step masks [rows, 1] for the steps where some row is padding, undefined where every row
 * has a real token: length-bucketed batches are mostly unpadded, and the masked update costs
 * three ops per state per step. `mask`: [rows, length] 1/0, right-padded.
 */
export function paddingStepMasks(mask: tf.Tensor2D): Array<tf.Tensor2D | undefined> {
  const [rows, length] = mask.shape;
  const values = mask.dataSync(); // an input (or a reshape of one): reading it stalls nothing
  const masks: Array<tf.Tensor2D | undefined> = [];
  for (let t = 0; t < length; t++) {
    let padded = false;
    for (let b = 0; b < rows && !padded; b++) padded = values[b * length + t] === 0;
    masks.push(padded ? tf.slice(mask, [0, t], [rows, 1]) as tf.Tensor2D : undefined);
  }
  return masks;
}

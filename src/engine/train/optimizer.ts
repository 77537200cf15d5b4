/**
 * Adam, SGD and RMSProp with state keyed by parameter name.
 *
 * Hand-written rather than tfjs's optimizers because their state is matched to variables by
 * position and by tfjs's global variable names, which makes exact resume across processes
 * fragile; here every slot is saved and restored under the parameter's stable name.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerType } from '../../shared/config';
import type { ParamStore } from '../model/params';
import { nativeAdamUpdate } from '../backend/nativeAdam';

const BETA1 = 0.9;
const BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;
const RMS_DECAY = 0.9;
const RMS_EPSILON = 1e-7;

export class Optimizer {
  /** Updates applied so far (Adam's bias correction uses it). */
  iterations = 0;
  private readonly slots = new Map<string, tf.Variable[]>();

  constructor(readonly kind: OptimizerType, private readonly params: ParamStore) {
    const slotCount = kind === 'adam' ? 2 : kind === 'rmsprop' ? 1 : 0;
    for (const [name, variable] of params.entries()) {
      const slots: tf.Variable[] = [];
      for (let s = 0; s < slotCount; s++) {
        const zeros = tf.zerosLike(variable);
        slots.push(tf.variable(zeros, false));
        zeros.dispose(); // the variable holds its own reference to the data
      }
      this.slots.set(name, slots);
    }
  }

  /**
   * Applies one update with the gradients `gradients`·`gradientScale` (the clipping factor,
   * folded into the update's own scalars); keyed by parameter name. Does not dispose them.
   */
  apply(gradients: Map<string, tf.Tensor>, learningRate: number, gradientScale = 1): void {
    this.iterations++;
    const t = this.iterations;
    // One tidy per parameter: the update's temporaries (several of the parameter's size) are
    // freed before the next parameter's, not all held until the last one.
    for (const [name, gradient] of gradients) {
      tf.tidy(() => {
        const variable = this.params.get(name);
        const slots = this.slots.get(name)!;
        if (this.kind === 'sgd') {
          variable.assign(tf.sub(variable, tf.mul(gradient, learningRate * gradientScale)));
        } else if (this.kind === 'rmsprop') {
          const [meanSquare] = slots;
          const ms = tf.add(tf.mul(meanSquare, RMS_DECAY), tf.mul(tf.square(gradient), (1 - RMS_DECAY) * gradientScale ** 2));
          meanSquare.assign(ms);
          variable.assign(tf.sub(variable, tf.div(tf.mul(gradient, learningRate * gradientScale), tf.add(tf.sqrt(ms), RMS_EPSILON))));
        } else {
          const [firstMoment, secondMoment] = slots;
          // Bias-corrected step folded into one scalar: lr·√(1−β2ᵗ)/(1−β1ᵗ) (Kingma & Ba, §2).
          const stepSize = (learningRate * Math.sqrt(1 - BETA2 ** t)) / (1 - BETA1 ** t);
          const epsilon = ADAM_EPSILON * Math.sqrt(1 - BETA2 ** t);
          const fused = nativeAdamUpdate(variable, firstMoment, secondMoment, gradient, { beta1: BETA1, beta2: BETA2, scale: gradientScale, stepSize, epsilon });
          if (fused) {
            variable.assign(fused[0]);
            firstMoment.assign(fused[1]);
            secondMoment.assign(fused[2]);
            return;
          }
          const m = tf.add(tf.mul(firstMoment, BETA1), tf.mul(gradient, (1 - BETA1) * gradientScale));
          const v = tf.add(tf.mul(secondMoment, BETA2), tf.mul(tf.square(gradient), (1 - BETA2) * gradientScale ** 2));
          firstMoment.assign(m);
          secondMoment.assign(v);
          variable.assign(tf.sub(variable, tf.div(tf.mul(m, stepSize), tf.add(tf.sqrt(v), epsilon))));
        }
      });
    }
  }

  /** Slot tensors by name `param/slotIndex`, for checkpoints. */
  stateTensors(): Array<[string, tf.Tensor]> {
    const out: Array<[string, tf.Tensor]> = [];
    for (const [name, slots] of this.slots) slots.forEach((slot, i) => out.push([`${name}/${i}`, slot]));
    return out;
  }

  /** Restores slots saved by stateTensors; throws on a missing or mis-shaped slot. */
  loadState(iterations: number, tensors: Map<string, tf.Tensor>): void {
    for (const [name, slots] of this.slots) {
      slots.forEach((slot, i) => {
        const saved = tensors.get(`${name}/${i}`);
        if (!saved) throw new Error(`optimizer state has no slot ${name}/${i}`);
        if (saved.shape.join(',') !== slot.shape.join(',')) throw new Error(`optimizer slot ${name}/${i} has shape [${saved.shape}], expected [${slot.shape}]`);
        slot.assign(saved);
      });
    }
    this.iterations = iterations;
  }

  dispose(): void {
    for (const slots of this.slots.values()) slots.forEach(s => s.dispose());
    this.slots.clear();
  }
}

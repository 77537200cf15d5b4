/**
 * Recurrent cells (vanilla RNN, GRU, LSTM, IndRNN) and a layer that runs one over a sequence.
 *
 * The input projection x·W + b of every time step is one matmul over the whole sequence
 * (hoisted out of the recurrence); only h·U stays inside the loop. Padding is handled by a
 * masked update (h ← h + m·(h' − h)): a padded step leaves the state unchanged, so a
 * right-padded sequence ends in the state of its last real token, and a backward pass over a
 * padded sequence starts from the initial state at the last real token.
 *
 * Gate math follows the common (cuDNN / PyTorch) formulations; IndRNN is Li et al. 2018:
 * h' = relu(x·W + u ⊙ h + b) with a per-unit recurrent weight u.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CellType } from '../../shared/config';
import { ParamStore } from './params';
import { lstmGateScale, runRecurrence, tapeIsOn } from './fusedRecurrence';
import { nativeLstmInUse } from '../backend/nativeLstm';

/**
 * Whether `RecurrentLayer.run` uses the fused recurrence (one op with a hand-written backward
 * pass, see fusedRecurrence.ts) or autodiff over per-step ops. Not a configuration option:
 * the tests switch it to check both compute the same loss and gradients.
 */
let fusedRecurrence = true;

export function setFusedRecurrence(enabled: boolean): boolean {
  const previous = fusedRecurrence;
  fusedRecurrence = enabled;
  return previous;
}

export interface CellState {
  /** [batch, hidden] */
  h: tf.Tensor2D;
  /** [batch, hidden], LSTM only */
  c?: tf.Tensor2D;
}

export function gateCount(cell: CellType): number {
  switch (cell) {
    case 'lstm': return 4;
    case 'gru': return 3;
    case 'rnn':
    case 'indrnn': return 1;
  }
}

/** x·W (+ b) for x of rank 2 [n, in] or rank 3 [batch, time, in]. */
export function dense(x: tf.Tensor, weight: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor {
  const inSize = x.shape[x.shape.length - 1];
  const outSize = weight.shape[1];
  const flat = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, inSize]) as tf.Tensor2D;
  let y: tf.Tensor = tf.matMul(flat, weight);
  if (bias) y = tf.add(y, bias);
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), outSize]);
}

/**
 * [batch, time, width] → time × [batch, width]. Time-major and flattened to rank 2 first:
 * on WASM, unstacking a rank-2 tensor along axis 0 is ~4× faster than a rank-3 one (measured:
 * 25 × [64, 256] in 4 ms vs 15 ms).
 */
export function unstackTime(x: tf.Tensor3D): tf.Tensor2D[] {
  const [batch, time, width] = x.shape;
  // tfjs's Unpack gradient breaks on a single output (it gets a tensor, not a list).
  if (time === 1) return [tf.reshape(x, [batch, width]) as tf.Tensor2D];
  const rows = tf.reshape(tf.transpose(x, [1, 0, 2]), [time, batch * width]); // [time, batch·width]
  return tf.unstack(rows, 0).map(step => tf.reshape(step, [batch, width]) as tf.Tensor2D);
}

export class RecurrentLayer {
  readonly gates: number;
  /** [inputSize, gates·hidden] */
  readonly inputWeight: tf.Variable;
  /** [gates·hidden] */
  readonly inputBias: tf.Variable;
  /** [hidden, gates·hidden]; IndRNN: [hidden] */
  readonly recurrentWeight: tf.Variable;
  /** GRU only: [3·hidden], the bias inside r ⊙ (h·U + b) */
  readonly recurrentBias?: tf.Variable;

  constructor(
    params: ParamStore,
    readonly name: string,
    readonly cell: CellType,
    readonly inputSize: number,
    readonly hiddenSize: number,
  ) {
    this.gates = gateCount(cell);
    const width = this.gates * hiddenSize;
    this.inputWeight = params.matrix(`${name}/W`, inputSize, width);
    if (cell === 'lstm') {
      // Forget-gate bias 1 (Jozefowicz et al. 2015): remember by default early in training.
      const bias = tf.tidy(() => tf.concat([tf.zeros([hiddenSize]), tf.ones([hiddenSize]), tf.zeros([2 * hiddenSize])]));
      this.inputBias = params.add(`${name}/b`, bias);
    } else {
      this.inputBias = params.vector(`${name}/b`, width);
    }
    if (cell === 'indrnn') {
      this.recurrentWeight = params.uniform(`${name}/u`, [hiddenSize], 0, 1);
    } else {
      this.recurrentWeight = params.matrix(`${name}/U`, hiddenSize, width);
    }
    if (cell === 'gru') this.recurrentBias = params.vector(`${name}/bh`, width);
  }

  zeroState(batch: number): CellState {
    const h = tf.zeros([batch, this.hiddenSize]) as tf.Tensor2D;
    return this.cell === 'lstm' ? { h, c: tf.zeros([batch, this.hiddenSize]) as tf.Tensor2D } : { h };
  }

  /** x·W + b for one step: [batch, in] → [batch, gates·hidden]. */
  projectStep(x: tf.Tensor2D): tf.Tensor2D {
    return dense(x, this.inputWeight as tf.Tensor2D, this.inputBias as tf.Tensor1D) as tf.Tensor2D;
  }

  /** x·W + b for every step at once: [batch, time, in] → time × [batch, gates·hidden]. */
  projectSequence(x: tf.Tensor3D): tf.Tensor2D[] {
    const projected = dense(x, this.inputWeight as tf.Tensor2D, this.inputBias as tf.Tensor1D); // [batch, time, G·H]
    return unstackTime(projected as tf.Tensor3D);
  }

  /** One recurrence step from a projected input. `mask` [batch, 1]: 1 = real token, 0 = padding. */
  step(projected: tf.Tensor2D, state: CellState, mask?: tf.Tensor2D): CellState {
    if (this.cell === 'lstm' && fusedRecurrence && nativeLstmInUse()) return this.nativeStep(projected, state, mask);
    return tf.tidy(() => {
      const next = this.cellStep(projected, state);
      if (!mask) return next as unknown as tf.TensorContainerObject;
      const keep = (fresh: tf.Tensor2D, old: tf.Tensor2D) => tf.add(old, tf.mul(mask, tf.sub(fresh, old))) as tf.Tensor2D;
      return next.c ? { h: keep(next.h, state.h), c: keep(next.c, state.c!) } : { h: keep(next.h, state.h) };
    }) as unknown as CellState;
  }

  /** An LSTM step as the native layer kernel over one step (decoding, input feeding): one kernel instead of ~12. */
  private nativeStep(projected: tf.Tensor2D, state: CellState, mask?: tf.Tensor2D): CellState {
    return tf.tidy(() => {
      const [batch, hidden] = state.h.shape;
      const y = runRecurrence({ cell: 'lstm', time: 1, batch, hidden, reverse: false, masks: [mask], gateScaled: false },
        { xp: projected, u: this.recurrentWeight as tf.Tensor2D, h0: state.h, c0: state.c }); // [2·batch, hidden]: h, then c
      const [h, c] = tf.split(y, 2, 0) as tf.Tensor2D[];
      return { h, c } as unknown as tf.TensorContainerObject;
    }) as unknown as CellState;
  }

  private cellStep(xp: tf.Tensor2D, state: CellState): CellState {
    const h = state.h; // [batch, hidden]
    switch (this.cell) {
      case 'rnn':
        return { h: tf.tanh(tf.add(xp, tf.matMul(h, this.recurrentWeight as tf.Tensor2D))) as tf.Tensor2D };
      case 'indrnn':
        return { h: tf.relu(tf.add(xp, tf.mul(h, this.recurrentWeight))) as tf.Tensor2D };
      case 'lstm': {
        const z = tf.add(xp, tf.matMul(h, this.recurrentWeight as tf.Tensor2D)); // [batch, 4·hidden]
        const [i, f, g, o] = tf.split(z, 4, 1);
        const c = tf.add(tf.mul(tf.sigmoid(f), state.c!), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D;
        return { h: tf.mul(tf.sigmoid(o), tf.tanh(c)) as tf.Tensor2D, c };
      }
      case 'gru': {
        const hp = tf.add(tf.matMul(h, this.recurrentWeight as tf.Tensor2D), this.recurrentBias!); // [batch, 3·hidden]
        const [xr, xz, xn] = tf.split(xp, 3, 1);
        const [hr, hz, hn] = tf.split(hp, 3, 1);
        const r = tf.sigmoid(tf.add(xr, hr));
        const z = tf.sigmoid(tf.add(xz, hz));
        const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
        return { h: tf.add(n, tf.mul(z, tf.sub(h, n))) as tf.Tensor2D };
      }
    }
  }

  /**
   * Runs the layer over a sequence. x: [batch, time, in]; stepMasks: time × ([batch, 1] or
   * undefined where no sentence is padded at that step). Returns outputs [batch, time, hidden] in input order.
   */
  run(x: tf.Tensor3D, initial: CellState, stepMasks: Array<tf.Tensor2D | undefined> | undefined, reverse: boolean): { outputs: tf.Tensor3D; final: CellState } {
    return fusedRecurrence ? this.runFused(x, initial, stepMasks, reverse) : this.runStepwise(x, initial, stepMasks, reverse);
  }

  /** `run` through the fused recurrence: time-major rank-2 tensors, one op for all steps. */
  private runFused(x: tf.Tensor3D, initial: CellState, stepMasks: Array<tf.Tensor2D | undefined> | undefined, reverse: boolean): { outputs: tf.Tensor3D; final: CellState } {
    const [batch, time, inputSize] = x.shape;
    const hidden = this.hiddenSize;
    // Time-major before the projection: the input is narrower than the projected gates.
    const xt = time === 1 ? tf.reshape(x, [batch, inputSize]) : tf.reshape(tf.transpose(x, [1, 0, 2]), [time * batch, inputSize]);
    let weight = this.inputWeight as tf.Tensor;
    let bias = this.inputBias as tf.Tensor;
    let u = this.recurrentWeight as tf.Tensor;
    // LSTM under a gradient tape: scale the g-gate columns of W, b, U by 2 (see fusedRecurrence.ts);
    // without a tape, or on the native kernels, the recurrence scales each step's gates instead.
    const gateScaled = this.cell === 'lstm' && tapeIsOn() && !nativeLstmInUse();
    if (gateScaled) {
      const scale = lstmGateScale(hidden);
      weight = tf.mul(weight, scale);
      bias = tf.mul(bias, scale);
      u = tf.mul(u, scale);
    }
    const xp = tf.add(tf.matMul(xt as tf.Tensor2D, weight as tf.Tensor2D), bias) as tf.Tensor2D; // [time·batch, G·H]
    const y = runRecurrence(
      { cell: this.cell, time, batch, hidden, reverse, masks: stepMasks, gateScaled },
      { xp, u, bh: this.recurrentBias as tf.Tensor1D | undefined, h0: initial.h, c0: initial.c },
    );
    const hs = this.cell === 'lstm' ? tf.slice(y, [0, 0], [time * batch, hidden]) : y;
    const outputs = time === 1 ? tf.reshape(hs, [batch, 1, hidden]) : tf.transpose(tf.reshape(hs, [time, batch, hidden]), [1, 0, 2]);
    const last = reverse ? 0 : time - 1;
    const final: CellState = { h: tf.slice(y, [last * batch, 0], [batch, hidden]) };
    if (this.cell === 'lstm') final.c = tf.slice(y, [time * batch, 0], [batch, hidden]);
    return { outputs: outputs as tf.Tensor3D, final };
  }

  /** `run` as autodiff over one step at a time (the reference the fused path is tested against). */
  private runStepwise(x: tf.Tensor3D, initial: CellState, stepMasks: Array<tf.Tensor2D | undefined> | undefined, reverse: boolean): { outputs: tf.Tensor3D; final: CellState } {
    const projected = this.projectSequence(x);
    const time = projected.length;
    const outputs: tf.Tensor2D[] = new Array(time);
    let state = initial;
    for (let k = 0; k < time; k++) {
      const t = reverse ? time - 1 - k : k;
      state = this.step(projected[t], state, stepMasks?.[t]);
      outputs[t] = state.h;
    }
    return { outputs: tf.transpose(tf.stack(outputs, 0), [1, 0, 2]) as tf.Tensor3D, final: state }; // [batch, time, hidden]
  }
}

/**
 * A whole recurrence (one RNN layer over a sequence) as one differentiable operation, with a
 * hand-written backward pass through time.
 *
 * Why: with autodiff over one small op per step, every step's weight gradient is its own
 * small matmul (hᵀ·dz, plus a fresh transpose of U whose packed weights XNNPACK cannot
 * cache), and every op saves clones of its inputs for the tape. Here:
 * - the forward pass runs untaped; what the backward pass needs is gathered once into a few
 *   time-major rank-2 tensors ([time·batch, ·]), and the parts of the gate derivatives that
 *   do not depend on the incoming gradient are computed for all steps at once;
 * - the backward pass does only the truly sequential work per step (a few element-wise ops
 *   and dz·Uᵀ with one Uᵀ for all steps); dU = Hprevᵀ·dZ is one big matmul over all steps,
 *   and dxp is dZ itself (the input projection x·W + b stays outside, under autodiff, so
 *   dW = Xᵀ·dxp is also one matmul).
 * Nothing here is backend-specific: plain tfjs ops, rank 2, time-major.
 *
 * Layout: xp [time·batch, gates·hidden], rows t·batch … (t+1)·batch−1 hold step t (input
 * order). The result Y is [time·batch (+ batch for LSTM), hidden]: the state h after each
 * step in input order, then (LSTM) the final cell state. With a mask, a padded step keeps
 * the previous state (h ← h + m·(h' − h)), exactly as RecurrentLayer.step does.
 *
 * LSTM gate order is i, f, g, o (PyTorch). The caller scales the g columns of W, b and U by 2
 * (`lstmGateScale`) so that one sigmoid over all four gates gives σ(2·z_g) and
 * g = tanh(z_g) = 2σ(2z_g) − 1: one transcendental kernel per step instead of two.
 *
 * On the WASM backend with the native addon, an LSTM layer is two native kernels instead
 * (backend/nativeLstm.ts: the same math in C, one call forward and one backward).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CellType } from '../../shared/config';
import { matMulExplicit, transposesAreExplicit } from '../backend/wasmMatMulGradient';
import { nativeLstmBackward, nativeLstmForward, nativeLstmInUse } from '../backend/nativeLstm';

export interface RecurrenceSpec {
  cell: CellType;
  time: number;
  batch: number;
  hidden: number;
  /** Process steps T−1 … 0. */
  reverse: boolean;
  /** Per step (input order): [batch, 1] 1/0, or undefined where no row is padded. */
  masks?: Array<tf.Tensor2D | undefined>;
  /**
   * LSTM: xp and u already carry the [1, 1, 2, 1] gate scale (required under a gradient
   * tape). Without it (inference) each step scales z instead: cheaper than scaling W and U
   * when few rows are decoded.
   */
  gateScaled?: boolean;
}

export interface RecurrenceInputs {
  /** [time·batch, gates·hidden] time-major x·W + b (LSTM: g columns scaled by 2) */
  xp: tf.Tensor2D;
  /** [hidden, gates·hidden] (LSTM: g columns scaled by 2); IndRNN: [hidden] */
  u: tf.Tensor;
  /** GRU only: [3·hidden] */
  bh?: tf.Tensor1D;
  h0: tf.Tensor2D;
  /** LSTM only */
  c0?: tf.Tensor2D;
}

/** Column scale [1, 1, 2, 1] per LSTM gate block (see the file comment). */
export function lstmGateScale(hidden: number): tf.Tensor1D {
  const scale = new Float32Array(4 * hidden).fill(1);
  scale.fill(2, 2 * hidden, 3 * hidden);
  return tf.tensor1d(scale);
}

/** True when ops run now are recorded for a gradient (tfjs's own test, engine.isTapeOn). */
export function tapeIsOn(): boolean {
  const state = (tf.engine() as unknown as { state?: { gradientDepth?: number; kernelDepth?: number } }).state;
  // Unknown engine internals: take the custom-gradient path, which is correct either way.
  if (typeof state?.gradientDepth !== 'number' || typeof state.kernelDepth !== 'number') return true;
  return state.gradientDepth > 0 && state.kernelDepth === 0;
}

const rows = (x: tf.Tensor2D, t: number, batch: number): tf.Tensor2D =>
  tf.slice(x, [t * batch, 0], [batch, x.shape[1]]);

/** Forward pass; with `record`, also the tensors the backward pass needs (owned by the caller's scope). */
function forward(spec: RecurrenceSpec, inputs: RecurrenceInputs, record: boolean): { y: tf.Tensor2D; saved: tf.Tensor[] } {
  const { cell, time, batch, hidden, reverse } = spec;
  const { xp, u, bh } = inputs;
  let h = inputs.h0;
  let c = inputs.c0;
  const outputs: tf.Tensor2D[] = new Array(time);
  // Per step (input order) lists for the backward pass.
  const hPrev: tf.Tensor2D[] = new Array(time);
  const lists: Record<string, tf.Tensor2D[]> = {};
  const keep = (name: string, t: number, value: tf.Tensor2D) => {
    if (record) (lists[name] ??= new Array(time))[t] = value;
  };
  let gateScale: tf.Tensor1D | undefined;
  const masked = (fresh: tf.Tensor2D, old: tf.Tensor2D, m?: tf.Tensor2D) => (m ? tf.add(old, tf.mul(m, tf.sub(fresh, old))) as tf.Tensor2D : fresh);

  for (let k = 0; k < time; k++) {
    const t = reverse ? time - 1 - k : k;
    const m = spec.masks?.[t];
    const x = rows(xp, t, batch);
    if (record) hPrev[t] = h;
    switch (cell) {
      case 'lstm': {
        let zt = tf.add(x, tf.matMul(h, u as tf.Tensor2D)) as tf.Tensor2D; // [batch, 4H]
        if (!spec.gateScaled) zt = tf.mul(zt, gateScale ??= lstmGateScale(hidden));
        const s = tf.sigmoid(zt) as tf.Tensor2D;
        const [si, sf, sg, so] = tf.split(s, 4, 1) as tf.Tensor2D[];
        const g = tf.sub(tf.mul(sg, 2), 1) as tf.Tensor2D; // tanh(z_g)
        const cNew = tf.add(tf.mul(sf, c!), tf.mul(si, g)) as tf.Tensor2D;
        const tc = tf.tanh(cNew) as tf.Tensor2D;
        const hNew = tf.mul(so, tc) as tf.Tensor2D;
        keep('s', t, s); keep('g', t, g); keep('cPrev', t, c!); keep('si', t, si); keep('sf', t, sf); keep('so', t, so); keep('tc', t, tc);
        c = masked(cNew, c!, m);
        h = masked(hNew, h, m);
        break;
      }
      case 'rnn': {
        const hNew = tf.tanh(tf.add(x, tf.matMul(h, u as tf.Tensor2D))) as tf.Tensor2D;
        keep('hNew', t, hNew);
        h = masked(hNew, h, m);
        break;
      }
      case 'indrnn': {
        const hNew = tf.relu(tf.add(x, tf.mul(h, u))) as tf.Tensor2D;
        keep('hNew', t, hNew);
        h = masked(hNew, h, m);
        break;
      }
      case 'gru': {
        const hp = tf.add(tf.matMul(h, u as tf.Tensor2D), bh!) as tf.Tensor2D; // [batch, 3H]
        const [xrz, xn] = tf.split(x, [2 * hidden, hidden], 1) as tf.Tensor2D[];
        const [hrz, hn] = tf.split(hp, [2 * hidden, hidden], 1) as tf.Tensor2D[];
        const rz = tf.sigmoid(tf.add(xrz, hrz)) as tf.Tensor2D;
        const [r, z] = tf.split(rz, 2, 1) as tf.Tensor2D[];
        const n = tf.tanh(tf.add(xn, tf.mul(r, hn))) as tf.Tensor2D;
        const hNew = tf.add(n, tf.mul(z, tf.sub(h, n))) as tf.Tensor2D;
        keep('r', t, r); keep('z', t, z); keep('n', t, n); keep('hn', t, hn);
        h = masked(hNew, h, m);
        break;
      }
    }
    outputs[t] = h;
  }
  const y = tf.concat(cell === 'lstm' ? [...outputs, c!] : outputs, 0) as tf.Tensor2D;
  if (!record) return { y, saved: [] };

  // Gradient-independent factors of the backward pass, for all steps at once.
  const all = (name: string) => tf.concat(lists[name], 0) as tf.Tensor2D; // [time·batch, ·]
  const hPrevAll = tf.concat(hPrev, 0) as tf.Tensor2D;
  const maskList = (spec.masks ?? []).filter((m): m is tf.Tensor2D => m !== undefined);
  let factors: tf.Tensor[];
  switch (cell) {
    case 'lstm': {
      const s = all('s');
      // dz' = [dc', dc', dc', dh'] ⊙ q, q = [g, c_prev, σi, tanh c] ⊙ σ'(z') ⊙ [1, 1, 2, 1]
      const sd = tf.mul(tf.mul(s, tf.sub(1, s)), lstmGateScale(hidden));
      const q = tf.mul(tf.concat([all('g'), all('cPrev'), all('si'), all('tc')], 1), sd);
      const tc = all('tc');
      const od = tf.mul(all('so'), tf.sub(1, tf.square(tc))); // ∂h'/∂c' = σo ⊙ (1 − tanh² c')
      factors = [q, od, all('sf')];
      break;
    }
    case 'rnn': {
      const hNew = all('hNew');
      factors = [tf.sub(1, tf.square(hNew))];
      break;
    }
    case 'indrnn':
      factors = [tf.cast(tf.greater(all('hNew'), 0), 'float32')];
      break;
    case 'gru': {
      const r = all('r');
      const z = all('z');
      const n = all('n');
      const p1 = tf.mul(tf.sub(1, z), tf.sub(1, tf.square(n))); // ∂h'/∂(n pre-activation)
      const p2 = tf.mul(tf.sub(hPrevAll, n), tf.mul(z, tf.sub(1, z))); // ∂h'/∂(z pre-activation)
      const p3 = tf.mul(all('hn'), tf.mul(r, tf.sub(1, r))); // ∂(n pre)/∂(r pre)
      factors = [p1, p2, p3, r, z];
      break;
    }
  }
  return { y, saved: [hPrevAll, ...factors, ...maskList] };
}

/** Gradients of the inputs given dY, from the tensors `forward` saved. */
function backward(spec: RecurrenceSpec, inputs: RecurrenceInputs, dy: tf.Tensor2D, saved: tf.Tensor[]): tf.Tensor[] {
  const { cell, time, batch, hidden, reverse } = spec;
  const hPrevAll = saved[0] as tf.Tensor2D;
  const factorCount = { lstm: 3, rnn: 1, indrnn: 1, gru: 5 }[cell];
  const f = saved.slice(1, 1 + factorCount) as tf.Tensor2D[];
  const maskTensors = saved.slice(1 + factorCount) as tf.Tensor2D[];
  const masks: Array<tf.Tensor2D | undefined> = [];
  let next = 0;
  for (let t = 0; t < time; t++) masks.push(spec.masks?.[t] ? maskTensors[next++] : undefined);
  const u = inputs.u;
  // x·Uᵀ per step: Uᵀ transposed once for all steps on tfjs's WASM kernel; flagged on the native one.
  const uT = cell === 'indrnn' ? undefined : transposesAreExplicit() ? tf.transpose(u) as tf.Tensor2D : undefined;
  const timesUT = (x: tf.Tensor2D) => (uT ? tf.matMul(x, uT) : tf.matMul(x, u, false, true)) as tf.Tensor2D;

  let dh: tf.Tensor2D | undefined; // ∂L/∂h carried to the previous step
  let dc: tf.Tensor2D | undefined = cell === 'lstm' ? rows(dy, time, batch) : undefined; // final c
  const dz: tf.Tensor2D[] = new Array(time); // ∂L/∂xp per step
  const dhp: tf.Tensor2D[] = new Array(time); // GRU: ∂L/∂(h·U + bh) per step

  for (let k = time - 1; k >= 0; k--) {
    const t = reverse ? time - 1 - k : k;
    const m = masks[t];
    let gh = rows(dy, t, batch);
    if (dh) gh = tf.add(gh, dh);
    let keepH: tf.Tensor2D | undefined;
    if (m) {
      const through = tf.mul(m, gh) as tf.Tensor2D;
      keepH = tf.sub(gh, through) as tf.Tensor2D;
      gh = through;
    }
    switch (cell) {
      case 'lstm': {
        const [q, od, sf] = f;
        let gc = dc!;
        let keepC: tf.Tensor2D | undefined;
        if (m) {
          const through = tf.mul(m, gc) as tf.Tensor2D;
          keepC = tf.sub(gc, through) as tf.Tensor2D;
          gc = through;
        }
        const dcNew = tf.add(gc, tf.mul(gh, rows(od, t, batch))) as tf.Tensor2D;
        const dzt = tf.mul(tf.concat([dcNew, dcNew, dcNew, gh], 1), rows(q, t, batch)) as tf.Tensor2D;
        dz[t] = dzt;
        dc = tf.mul(dcNew, rows(sf, t, batch)) as tf.Tensor2D;
        if (keepC) dc = tf.add(dc, keepC) as tf.Tensor2D;
        dh = timesUT(dzt);
        break;
      }
      case 'rnn': {
        const dzt = tf.mul(gh, rows(f[0], t, batch)) as tf.Tensor2D;
        dz[t] = dzt;
        dh = timesUT(dzt);
        break;
      }
      case 'indrnn': {
        const dzt = tf.mul(gh, rows(f[0], t, batch)) as tf.Tensor2D;
        dz[t] = dzt;
        dh = tf.mul(dzt, u) as tf.Tensor2D;
        break;
      }
      case 'gru': {
        const [p1, p2, p3, r, z] = f.map(x => rows(x, t, batch));
        const dn = tf.mul(gh, p1); // ∂L/∂(xn + r⊙hn)
        const dzg = tf.mul(gh, p2); // ∂L/∂(xz + hz)
        const dr = tf.mul(dn, p3); // ∂L/∂(xr + hr)
        dz[t] = tf.concat([dr, dzg, dn], 1) as tf.Tensor2D;
        const dhpt = tf.concat([dr, dzg, tf.mul(dn, r)], 1) as tf.Tensor2D;
        dhp[t] = dhpt;
        dh = tf.add(timesUT(dhpt), tf.mul(gh, z)) as tf.Tensor2D;
        break;
      }
    }
    if (keepH) dh = tf.add(dh!, keepH) as tf.Tensor2D;
  }

  const dxp = tf.concat(dz, 0) as tf.Tensor2D; // [time·batch, G·H]
  const grads: tf.Tensor[] = [dxp];
  if (cell === 'indrnn') {
    grads.push(tf.sum(tf.mul(hPrevAll, dxp), 0)); // du = Σ_t Σ_b h_prev ⊙ dz
  } else {
    const dRecurrent = cell === 'gru' ? tf.concat(dhp, 0) as tf.Tensor2D : dxp;
    grads.push(matMulExplicit(hPrevAll, dRecurrent, true, false)); // dU = Σ_t h_prevᵀ·dz_t, one matmul
    if (cell === 'gru') grads.push(tf.sum(dRecurrent, 0));
  }
  grads.push(dh ?? tf.zerosLike(inputs.h0));
  if (cell === 'lstm') grads.push(dc!);
  return grads;
}

/** The masks as one [time, batch] tensor (1 real, 0 padding), or undefined when no step has one. */
function maskMatrix(spec: RecurrenceSpec): tf.Tensor2D | undefined {
  if (!spec.masks?.some(m => m !== undefined)) return undefined;
  return tf.tidy(() => tf.concat(spec.masks!.map(m => (m ? tf.reshape(m, [1, spec.batch]) : tf.ones([1, spec.batch]))), 0) as tf.Tensor2D);
}

/** The LSTM layer on the native kernels: forward only, or one custom-gradient op under a tape; gate-scaled inputs or not. */
function runNativeLstm(spec: RecurrenceSpec, inputs: RecurrenceInputs, record: boolean): tf.Tensor2D {
  const shape = { time: spec.time, batch: spec.batch, hidden: spec.hidden, reverse: spec.reverse };
  const mask = maskMatrix(spec);
  const u = inputs.u as tf.Tensor2D;
  if (!record) {
    const { y } = nativeLstmForward(shape, !!spec.gateScaled, false, inputs.xp, u, inputs.h0, inputs.c0!, mask);
    mask?.dispose();
    return y;
  }
  const gateScaled = !!spec.gateScaled;
  const op = tf.customGrad(((xp: tf.Tensor2D, uIn: tf.Tensor2D, h0: tf.Tensor2D, c0: tf.Tensor2D, save: tf.GradSaveFunc) => {
    const { y, saved } = nativeLstmForward(shape, gateScaled, true, xp, uIn, h0, c0, mask);
    save(mask ? [uIn, ...saved, mask] : [uIn, ...saved]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, savedTensors: tf.Tensor[]) => {
        const [uSaved, s, aux, maskSaved] = savedTensors as tf.Tensor2D[];
        return nativeLstmBackward(shape, gateScaled, uSaved, dy as tf.Tensor2D, [s, aux], maskSaved);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = op(inputs.xp, u, inputs.h0, inputs.c0!) as tf.Tensor2D;
  // The op keeps its own reference to the saved mask.
  mask?.dispose();
  return y;
}

/**
 * Runs the recurrence. Under a gradient tape it is one custom-gradient op (inputs xp, u,
 * [bh], h0, [c0]); otherwise (decoding, evaluation) just the forward loop.
 */
export function runRecurrence(spec: RecurrenceSpec, inputs: RecurrenceInputs): tf.Tensor2D {
  const record = tapeIsOn();
  // The native kernels take either (they scale z_g themselves and their gradient with it).
  if (spec.cell === 'lstm' && nativeLstmInUse()) return runNativeLstm(spec, inputs, record);
  if (record && spec.cell === 'lstm' && !spec.gateScaled) throw new Error('runRecurrence: under a gradient tape the LSTM inputs must be gate-scaled');
  if (!record) return forward(spec, inputs, false).y;
  const list: tf.Tensor[] = [inputs.xp, inputs.u];
  if (spec.cell === 'gru') list.push(inputs.bh!);
  list.push(inputs.h0);
  if (spec.cell === 'lstm') list.push(inputs.c0!);
  const op = tf.customGrad(((...args: unknown[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const { y, saved } = forward(spec, inputs, true);
    save([inputs.u, ...saved]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, savedTensors: tf.Tensor[]) => {
        const [u, ...rest] = savedTensors;
        // In a tidy: tfjs frees a gradient's temporaries (here every time step's) only when the
        // whole backward pass ends.
        return tf.tidy(() => backward(spec, { ...inputs, u }, dy as tf.Tensor2D, rest));
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(...list) as tf.Tensor2D;
}

/**
 * A whole LSTM layer forward and backward as two WASM kernels computed by the native addon
 * (native/lstm.c), when it was built: the recurrence of model/fusedRecurrence.ts in one call
 * per layer instead of ~18 tfjs kernels per step forward and ~12 backward.
 *
 * Why: with the native matmul kernel, a B1 training step was ~2,300 kernel calls, most of them
 * small element-wise ops inside the recurrences, each paying tfjs's dispatch and a scalar WASM
 * loop; the products were only 45 % of the step. Here the per-step products are OpenBLAS calls
 * and the gate math is one vectorized loop. The same math as fusedRecurrence.ts's tfjs path,
 * which stays the fallback (tfjs-node, cpu, the threaded WASM build, `SEQ2SEQ_NATIVE_BLAS=0`,
 * `SEQ2SEQ_NATIVE_LSTM=0`); the tests compare the two.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NativeBlas } from './nativeMatMul';
import { heapOffset, KernelArgs, TensorInfo } from './wasmKernel';

/** The addon's LSTM entry points (offsets in floats on the WASM heap; −1 = absent). */
export interface NativeLstm {
  lstmForward(heap: ArrayBuffer, time: number, batch: number, hidden: number, reverse: number, gateScaled: number,
    xp: number, u: number, h0: number, c0: number, mask: number, y: number, s: number, aux: number): void;
  lstmBackward(heap: ArrayBuffer, time: number, batch: number, hidden: number, reverse: number, gateScaled: number,
    u: number, mask: number, dy: number, s: number, aux: number, dxp: number, du: number, dh0: number, dc0: number): void;
}

const FORWARD = 'Seq2SeqNativeLstmForward';
const BACKWARD = 'Seq2SeqNativeLstmBackward';

interface LstmAttrs { time: number; batch: number; hidden: number; reverse: boolean; gateScaled: boolean; record: boolean }

let enabled = false;

/** A tensor's heap offset in floats; −1 for an absent (optional) input. */
const offsetOf = (args: KernelArgs, t: TensorInfo | undefined) => (t ? heapOffset(args.backend, t) : -1);

function checkShape(name: string, t: TensorInfo | undefined, shape: number[]): void {
  if (!t || t.dtype !== 'float32' || t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`native LSTM: ${name} must be float32 [${shape.join(', ')}], got ${t ? `${t.dtype} [${t.shape.join(', ')}]` : 'nothing'}`);
  }
}

/** Registers the two kernels on the WASM backend (once) when the addon has them; true when in use. */
export function registerNativeLstm(blas: NativeBlas & Partial<NativeLstm>, env = process.env): boolean {
  if (enabled) return true;
  if (env.SEQ2SEQ_NATIVE_LSTM === '0' || typeof blas.lstmForward !== 'function' || typeof blas.lstmBackward !== 'function') return false;
  const lstm = blas as NativeBlas & NativeLstm;
  tf.registerKernel({
    kernelName: FORWARD, backendName: 'wasm',
    kernelFunc: ((args: KernelArgs) => {
      const { time, batch, hidden, reverse, gateScaled, record } = args.attrs as unknown as LstmAttrs;
      const { xp, u, h0, c0, mask } = args.inputs;
      checkShape('xp', xp, [time * batch, 4 * hidden]);
      checkShape('u', u, [hidden, 4 * hidden]);
      checkShape('h0', h0, [batch, hidden]);
      checkShape('c0', c0, [batch, hidden]);
      if (mask) checkShape('mask', mask, [time, batch]);
      const { backend } = args;
      // makeOutput may grow the heap: read its buffer after the last one.
      const y = backend.makeOutput([(time + 1) * batch, hidden], 'float32');
      const s = record ? backend.makeOutput([time * batch, 4 * hidden], 'float32') : undefined;
      const aux = record ? backend.makeOutput([3 * time * batch, hidden], 'float32') : undefined;
      lstm.lstmForward(backend.wasm.HEAPU8.buffer as ArrayBuffer, time, batch, hidden, reverse ? 1 : 0, gateScaled ? 1 : 0,
        offsetOf(args, xp), offsetOf(args, u), offsetOf(args, h0), offsetOf(args, c0), offsetOf(args, mask),
        offsetOf(args, y), offsetOf(args, s), offsetOf(args, aux));
      return s && aux ? [y, s, aux] : y;
    }) as unknown as tf.KernelFunc,
  });
  tf.registerKernel({
    kernelName: BACKWARD, backendName: 'wasm',
    kernelFunc: ((args: KernelArgs) => {
      const { time, batch, hidden, reverse, gateScaled } = args.attrs as unknown as LstmAttrs;
      const { u, mask, dy, s, aux } = args.inputs;
      checkShape('u', u, [hidden, 4 * hidden]);
      if (mask) checkShape('mask', mask, [time, batch]);
      checkShape('dy', dy, [(time + 1) * batch, hidden]);
      checkShape('s', s, [time * batch, 4 * hidden]);
      checkShape('aux', aux, [3 * time * batch, hidden]);
      const { backend } = args;
      const dxp = backend.makeOutput([time * batch, 4 * hidden], 'float32');
      const du = backend.makeOutput([hidden, 4 * hidden], 'float32');
      const dh0 = backend.makeOutput([batch, hidden], 'float32');
      const dc0 = backend.makeOutput([batch, hidden], 'float32');
      lstm.lstmBackward(backend.wasm.HEAPU8.buffer as ArrayBuffer, time, batch, hidden, reverse ? 1 : 0, gateScaled ? 1 : 0,
        offsetOf(args, u), offsetOf(args, mask), offsetOf(args, dy), offsetOf(args, s), offsetOf(args, aux),
        offsetOf(args, dxp), offsetOf(args, du), offsetOf(args, dh0), offsetOf(args, dc0));
      return [dxp, du, dh0, dc0];
    }) as unknown as tf.KernelFunc,
  });
  enabled = true;
  return true;
}

/** True when the native LSTM kernels run on the backend in use now. */
export function nativeLstmInUse(): boolean {
  return enabled && tf.getBackend() === 'wasm';
}

/** For tests: run the tfjs path even where the native kernels are registered. */
export function setNativeLstm(on: boolean): boolean {
  const was = enabled;
  if (on && !tf.getKernel(FORWARD, 'wasm')) return false;
  enabled = on;
  return was;
}

export interface NativeLstmShape { time: number; batch: number; hidden: number; reverse: boolean }

/**
 * Forward: y [(T+1)·B, H] (h per step in input order, then the final c); with `record`, also
 * what the backward pass needs (s [T·B, 4H], aux [3·T·B, H]). `mask` [T, B] (1 real, 0 padding).
 */
export function nativeLstmForward(shape: NativeLstmShape, gateScaled: boolean, record: boolean,
  xp: tf.Tensor2D, u: tf.Tensor2D, h0: tf.Tensor2D, c0: tf.Tensor2D, mask?: tf.Tensor2D): { y: tf.Tensor2D; saved: tf.Tensor2D[] } {
  const inputs: tf.NamedTensorMap = { xp, u, h0, c0 };
  if (mask) inputs.mask = mask;
  const attrs = { ...shape, gateScaled, record } as unknown as tf.NamedAttrMap;
  const out = tf.engine().runKernel(FORWARD, inputs, attrs) as tf.Tensor2D | tf.Tensor2D[];
  if (!Array.isArray(out)) return { y: out, saved: [] };
  const [y, ...saved] = out;
  return { y, saved };
}

/**
 * Backward from dy [(T+1)·B, H] and the forward's saved tensors: [dxp, du, dh0, dc0], the
 * gradients of the inputs as given (gate-scaled or not, as in the forward).
 */
export function nativeLstmBackward(shape: NativeLstmShape, gateScaled: boolean, u: tf.Tensor2D, dy: tf.Tensor2D, saved: tf.Tensor2D[], mask?: tf.Tensor2D): tf.Tensor2D[] {
  const [s, aux] = saved;
  const inputs: tf.NamedTensorMap = { u, dy, s, aux };
  if (mask) inputs.mask = mask;
  return tf.engine().runKernel(BACKWARD, inputs, { ...shape, gateScaled } as unknown as tf.NamedAttrMap) as tf.Tensor2D[];
}

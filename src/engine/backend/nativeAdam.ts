/**
 * One Adam update of a parameter as one WASM kernel computed by the native addon
 * (native/adam.c), when it was built: the ~12 tfjs kernels per parameter per step of
 * train/optimizer.ts's tfjs path (measured: Multiply, Sqrt, Add, Sub and Div were ~20 % of a B1
 * step once the recurrences were native). The results are fresh tensors, never written in
 * place. optimizer.ts keeps the tfjs ops as the fallback; the tests compare the two.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NativeBlas } from './nativeMatMul';
import { heapOffset, KernelArgs, TensorInfo } from './wasmKernel';

export interface NativeAdam {
  adamUpdate(heap: ArrayBuffer, n: number, w: number, m: number, v: number, g: number, wOut: number, mOut: number, vOut: number,
    beta1: number, beta2: number, scale: number, stepSize: number, epsilon: number): void;
}

const ADAM = 'Seq2SeqNativeAdam';

export interface AdamScalars { beta1: number; beta2: number; scale: number; stepSize: number; epsilon: number }

let enabled = false;

/** Registers the kernel on the WASM backend (once) when the addon has it; true when in use. */
export function registerNativeAdam(blas: NativeBlas & Partial<NativeAdam>, env = process.env): boolean {
  if (enabled) return true;
  if (env.SEQ2SEQ_NATIVE_ADAM === '0' || typeof blas.adamUpdate !== 'function') return false;
  const native = blas as NativeBlas & NativeAdam;
  tf.registerKernel({
    kernelName: ADAM, backendName: 'wasm',
    kernelFunc: ((args: KernelArgs) => {
      const { w, m, v, g } = args.inputs;
      for (const [name, t] of Object.entries({ m, v, g })) {
        if (t.dtype !== 'float32' || t.shape.join() !== w.shape.join()) throw new Error(`native Adam: ${name} [${t.shape.join(', ')}] ${t.dtype} does not match the parameter [${w.shape.join(', ')}]`);
      }
      const { beta1, beta2, scale, stepSize, epsilon } = args.attrs as unknown as AdamScalars;
      const { backend } = args;
      const outputs = [w, m, v].map(t => backend.makeOutput(t.shape, 'float32'));
      const n = w.shape.reduce((a, b) => a * b, 1);
      if (n === 0) return outputs;
      const offset = (t: TensorInfo) => heapOffset(backend, t);
      native.adamUpdate(backend.wasm.HEAPU8.buffer as ArrayBuffer, n, offset(w), offset(m), offset(v), offset(g),
        offset(outputs[0]), offset(outputs[1]), offset(outputs[2]), beta1, beta2, scale, stepSize, epsilon);
      return outputs;
    }) as unknown as tf.KernelFunc,
  });
  enabled = true;
  return true;
}

/** For tests: run the tfjs ops even where the kernel is registered; returns the previous setting. */
export function setNativeAdam(on: boolean): boolean {
  const was = enabled;
  if (on && !tf.getKernel(ADAM, 'wasm')) return false;
  enabled = on;
  return was;
}

/** [w', m', v'] from the native kernel, or undefined where it does not run (another backend, float16…). */
export function nativeAdamUpdate(w: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, scalars: AdamScalars): tf.Tensor[] | undefined {
  if (!enabled || tf.getBackend() !== 'wasm' || g.dtype !== 'float32') return undefined;
  return tf.engine().runKernel(ADAM, { w, m, v, g }, scalars as unknown as tf.NamedAttrMap) as tf.Tensor[];
}

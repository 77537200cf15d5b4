/**
 * Sum over leading (or, with the native matmul kernel, middle) axes as a matrix product, for
 * the WASM backend.
 *
 * Measured here (tfjs-backend-wasm 4.22, one thread): `Sum` over any axis but the innermost
 * transposes its input first — summing a [1280, 1024] gate gradient over axis 0 (every bias
 * gradient of an RNN layer) took 6.6–7.8 ms, against 0.26 ms as ones[1, 1280] · x[1280, 1024],
 * which XNNPACK runs on its fast path. A middle block ([64, 12, 20, 256] over axis 2, additive
 * attention's gradient) becomes a batched product, which only the native kernel runs fast.
 * Reductions not covered (non-contiguous axes, the innermost axis, int32) go to the original
 * kernel. Same sums to float32 rounding (the order of additions differs).
 */
import * as tf from '@tensorflow/tfjs-core';
import { KernelArgs, replaceWasmKernel, TensorInfo, wasmKernel } from './wasmKernel';

type Kernel = (args: KernelArgs) => TensorInfo;

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** x summed over `axes` as [outer, reduced, inner], or undefined when the axes are not one contiguous block. */
export function reductionBlock(shape: number[], axes: number[]): { outer: number; reduced: number; inner: number } | undefined {
  if (axes.length === 0) return undefined;
  const sorted = [...axes].sort((a, b) => a - b);
  if (sorted.some((a, i) => i > 0 && a !== sorted[i - 1] + 1)) return undefined;
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  return { outer: size(shape.slice(0, first)), reduced: size(shape.slice(first, last + 1)), inner: size(shape.slice(last + 1)) };
}

let registered = false;

/** `batchedProductsFast`: whether batched BatchMatMuls run on a fast kernel (the native one). */
export function registerWasmReductionKernels(batchedProductsFast: () => boolean): void {
  if (registered) return;
  const originalSum = wasmKernel(tf.Sum) as Kernel | undefined;
  // Registered after the native BatchMatMul (backend/index.ts), so this is the one in use.
  const matMul = wasmKernel(tf.BatchMatMul) as Kernel | undefined;
  if (!originalSum || !matMul) return; // another tfjs-backend-wasm: leave it alone
  registered = true;

  replaceWasmKernel(tf.Sum, args => {
    const { x } = args.inputs;
    const { backend } = args;
    if (x.dtype !== 'float32') return originalSum(args);
    const axes = tf.util.parseAxisParam(args.attrs.axis as number | number[], x.shape);
    const block = reductionBlock(x.shape, axes);
    // The innermost axis is the original kernel's fast case; a one-long axis is a copy.
    if (!block || block.inner === 1 || block.reduced === 1) return originalSum(args);
    const outShape = args.attrs.keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    const { outer, reduced, inner } = block;
    // A middle block is a batched product, fast only on the native kernel (XNNPACK's batched
    // path is a scalar loop, slower than the original transpose).
    if (outer > 1 && !batchedProductsFast()) return originalSum(args);
    // ones[1, reduced] · x[outer][reduced, inner]: the current BatchMatMul (XNNPACK or native BLAS).
    const ones = backend.makeOutput([1, reduced], 'float32');
    backend.typedArrayFromHeap(ones).fill(1);
    const view = { dataId: x.dataId, shape: outer === 1 ? [reduced, inner] : [outer, reduced, inner], dtype: 'float32' as const };
    const out = matMul({ inputs: { a: ones, b: view }, attrs: { transposeA: false, transposeB: false }, backend });
    backend.disposeData(ones.dataId);
    out.shape = outShape;
    return out;
  });
}

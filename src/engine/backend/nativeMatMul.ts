/**
 * BatchMatMul on the WASM backend computed by the native OpenBLAS kernel (native/blas.c), when
 * it was built (scripts/buildNative.mjs, after `npm install`).
 *
 * Measured here (B1 benchmark, 2 cores): matrix products were 65 % of a training step on
 * tfjs's WASM kernels; OpenBLAS (AVX2/AVX-512) runs the same products several times faster,
 * and transposed operands cost nothing, so the explicit transposes that the WASM gradient
 * needs (wasmMatMulGradient.ts) are switched off. The kernel reads and writes the WASM heap in
 * place. Without the binary, with `SEQ2SEQ_NATIVE_BLAS=0`, on the threaded WASM build (its heap
 * is a SharedArrayBuffer) or for shapes it does not take, tfjs's own kernel runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { heapOffset, KernelArgs, replaceWasmKernel, TensorInfo, wasmKernel } from './wasmKernel';

export interface NativeBlas {
  gemm(heap: ArrayBuffer, aOffset: number, bOffset: number, cOffset: number, batch: number, aStride: number, bStride: number,
    m: number, n: number, k: number, transposeA: number, transposeB: number): void;
  setThreads(threads: number): void;
  config(): string;
}

export const NATIVE_BLAS_FILE = 'seq2seq_blas.node';

/** Where the binary may be: beside the bundle (dist/), or the build folder when run from sources. */
export function nativeBlasCandidates(dir = __dirname): string[] {
  return [path.join(dir, NATIVE_BLAS_FILE), path.resolve(dir, '../../../native/build/Release', NATIVE_BLAS_FILE)];
}

/** The addon, or why there is none. `SEQ2SEQ_NATIVE_BLAS=0` turns it off; `=PATH` names the binary. */
export function loadNativeBlas(env = process.env, candidates = nativeBlasCandidates()): { blas?: NativeBlas; problem?: string } {
  const setting = env.SEQ2SEQ_NATIVE_BLAS;
  if (setting === '0' || setting === 'off') return { problem: 'turned off (SEQ2SEQ_NATIVE_BLAS=0)' };
  const files = setting && setting !== '1' && setting !== 'on' ? [setting] : candidates;
  const file = files.find(f => fs.existsSync(f));
  if (!file) return { problem: `not built (no ${NATIVE_BLAS_FILE}; npm install builds it where OpenBLAS is installed: apt-get install libopenblas-dev)` };
  try {
    const blas = require(file) as NativeBlas;
    // One thread per product until training says otherwise (setMatMulThreads): data-parallel
    // workers run one product each.
    blas.setThreads(1);
    return { blas };
  } catch (error) {
    return { problem: `${file} did not load: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** The batch dimensions' sizes of `a` and `b` and the output's, or undefined when they broadcast other than one side being 1. */
function batchSizes(a: number[], b: number[]): { outer: number[]; batch: number; batchA: number; batchB: number } | undefined {
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.slice(0, -2), b.slice(0, -2));
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  const batch = size(outer);
  const batchA = size(a.slice(0, -2));
  const batchB = size(b.slice(0, -2));
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return undefined;
  return { outer, batch, batchA, batchB };
}

let registered: NativeBlas | undefined;

/** Replaces the WASM BatchMatMul with the native one; the kernel it replaced handles the rest. */
export function registerNativeMatMul(blas: NativeBlas): void {
  if (registered) return;
  const original = wasmKernel(tf.BatchMatMul);
  if (!original) return;
  registered = blas;
  replaceWasmKernel(tf.BatchMatMul, (args: KernelArgs) => {
    const { a, b } = args.inputs;
    const transposeA = !!args.attrs.transposeA;
    const transposeB = !!args.attrs.transposeB;
    const ra = a.shape.length;
    const rb = b.shape.length;
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    const kB = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const batches = ra >= 2 && rb >= 2 && k === kB ? batchSizes(a.shape, b.shape) : undefined;
    if (!batches || a.dtype !== 'float32' || b.dtype !== 'float32' || k === 0) return original(args);
    const { backend } = args;
    const out = backend.makeOutput([...batches.outer, m, n], 'float32'); // may grow the heap: read the buffer afterwards
    if (m * n * batches.batch === 0) return out;
    const offset = (t: TensorInfo) => heapOffset(backend, t);
    blas.gemm(backend.wasm.HEAPU8.buffer as ArrayBuffer, offset(a), offset(b), offset(out), batches.batch,
      batches.batchA === 1 ? 0 : m * k, batches.batchB === 1 ? 0 : k * n, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0);
    return out;
  });
}

/** The native kernel in use, if any. */
export function nativeMatMulInUse(): NativeBlas | undefined {
  return registered;
}

/**
 * A BatchMatMul gradient without transpose flags, for the WASM backend.
 *
 * Measured here (tfjs-backend-wasm 4.22, XNNPACK): a matmul with transposeA or transposeB set
 * runs 5–10× slower than an explicit transpose followed by a plain matmul (e.g. [704,64]ᵀ·[704,256]:
 * 12.8 ms flagged vs 1.4 ms explicit). tfjs's own gradient uses the flags for every weight
 * gradient, so backprop through an RNN spent most of its time there. Same maths, other kernels;
 * the numeric gradient tests cover it. With the native BLAS kernel (nativeMatMul.ts) flagged
 * products are as fast as plain ones, so the transposes are skipped (`setExplicitTransposes`).
 */
import * as tf from '@tensorflow/tfjs-core';

/** Transpose of the last two axes. */
export function transposeLast(x: tf.Tensor): tf.Tensor {
  if (x.rank === 2) return tf.transpose(x);
  const perm = [...Array(x.rank).keys()];
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
  return tf.transpose(x, perm);
}

let explicitTransposes = true;

/** Whether matMulExplicit transposes explicitly (tfjs's WASM kernel) or passes the flags (native BLAS). */
export function setExplicitTransposes(on: boolean): void {
  explicitTransposes = on;
}

/** True where a transposed operand is cheaper transposed once by hand than flagged (tfjs's WASM kernel). */
export function transposesAreExplicit(): boolean {
  return explicitTransposes;
}

/** matMul(a, b, ta, tb) with the transposes done explicitly where that is faster. */
export function matMulExplicit(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  if (!explicitTransposes) return tf.matMul(a, b, transposeA, transposeB);
  return tf.matMul(transposeA ? transposeLast(a) : a, transposeB ? transposeLast(b) : b);
}

let registered = false;

export function registerWasmMatMulGradient(): void {
  if (registered) return;
  registered = true;
  const mm = matMulExplicit;
  tf.registerGradient({
    kernelName: tf.BatchMatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
      const [a, b] = saved;
      const grad = dy as tf.Tensor;
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return { a: () => mm(grad, b, false, true), b: () => mm(a, grad, true, false) };
      if (!transposeA && transposeB) return { a: () => mm(grad, b, false, false), b: () => mm(grad, a, true, false) };
      if (transposeA && !transposeB) return { a: () => mm(b, grad, false, true), b: () => mm(a, grad, false, false) };
      return { a: () => mm(b, grad, true, true), b: () => mm(grad, a, true, true) };
    },
  });
}

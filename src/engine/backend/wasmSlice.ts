/**
 * Slice, Unpack, SplitV and GatherV2 (rows) for the WASM backend without a whole-input copy.
 *
 * tfjs-backend-wasm 4.22's Slice reads its input with `backend.readSync`, which copies the
 * *entire* input out of the WASM heap (HEAPU8.slice) before copying the requested part:
 * taking one time step [64, 1024] out of a [1280, 1024] tensor copied 5 MB (measured 4 ms
 * per slice here; an unstack over 20 steps 30 ms). Unpack and SplitV call that Slice once
 * per output. These replacements read the input through a view of the heap, so a slice
 * costs O(output). Same results; strings go to the original kernels.
 *
 * Identity (tf.clone: tfjs clones every tensor a kernel saves for its gradient) shares the
 * input's data instead of copying it, as tfjs's cpu backend and the WASM Reshape do: nothing
 * on this backend writes a tensor's data in place (every kernel here, native ones included,
 * writes fresh outputs). Measured: 204 copies, 6 % of a B1 step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { KernelArgs, replaceWasmKernel, TensorInfo, wasmKernel, WasmBackendLike, WasmKernel } from './wasmKernel';

/** Copies x[begin : begin+size] (any rank) into a new tensor on the WASM heap. */
function sliceInfo(backend: WasmBackendLike, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = backend.makeOutput(size, x.dtype); // may grow the heap: take views afterwards
  const total = size.reduce((a, b) => a * b, 1);
  if (total === 0) return out;
  const xVals = backend.typedArrayFromHeap(x);
  const outVals = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = tf.util.computeStrides(x.shape);
  if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    const offset = tf.slice_util.computeFlatOffset(begin, strides);
    outVals.set(xVals.subarray(offset, offset + total));
    return out;
  }
  // Copy runs of the last axis; odometer over the leading axes.
  const inner = size[rank - 1];
  const index = new Array(Math.max(rank - 1, 0)).fill(0);
  let outOffset = 0;
  for (;;) {
    let offset = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) offset += (begin[d] + index[d]) * strides[d];
    outVals.set(xVals.subarray(offset, offset + inner), outOffset);
    outOffset += inner;
    let d = rank - 2;
    while (d >= 0) {
      if (++index[d] < size[d]) break;
      index[d] = 0;
      d--;
    }
    if (d < 0) break;
  }
  return out;
}

let registered = false;

export function registerWasmSliceKernels(): void {
  if (registered) return;
  registered = true;
  const original = new Map<string, WasmKernel>();
  for (const name of [tf.Slice, tf.Unpack, tf.SplitV, tf.GatherV2, tf.Identity]) {
    const kernel = wasmKernel(name);
    if (!kernel) return; // a different tfjs-backend-wasm: leave its kernels alone
    original.set(name, kernel);
  }
  const replace = (name: string, kernelFunc: (args: KernelArgs) => TensorInfo | TensorInfo[]) => replaceWasmKernel(name, kernelFunc);

  replace(tf.Identity, args => {
    const x = args.inputs.x;
    if (x.dtype === 'string') return original.get(tf.Identity)!(args as never) as TensorInfo;
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });

  replace(tf.Slice, args => {
    const x = args.inputs.x;
    if (x.dtype === 'string') return original.get(tf.Slice)!(args as never) as TensorInfo;
    const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.TensorInfo, args.attrs.begin as number[], args.attrs.size as number[]);
    return sliceInfo(args.backend, x, begin, size);
  });

  replace(tf.Unpack, args => {
    const value = args.inputs.value;
    if (value.dtype === 'string') return original.get(tf.Unpack)!(args as never) as TensorInfo[];
    let axis = args.attrs.axis as number;
    if (axis < 0) axis += value.shape.length;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const begin = new Array(value.shape.length).fill(0);
    const size = value.shape.slice();
    size[axis] = 1;
    const outs: TensorInfo[] = [];
    for (let i = 0; i < value.shape[axis]; i++) {
      begin[axis] = i;
      const out = sliceInfo(args.backend, value, begin, size);
      outs.push({ dataId: out.dataId, dtype: out.dtype, shape: outShape });
    }
    return outs;
  });

  // Rows of a table (embedding lookups): tfjs's C++ gather walks 4-D strides per element
  // (measured 5 ms for 1,280 rows of 128); a row is one contiguous copy.
  replace(tf.GatherV2, args => {
    const { x, indices } = args.inputs;
    const axis = tf.util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
    if (axis !== 0 || (args.attrs.batchDims as number ?? 0) !== 0 || x.dtype === 'string' || x.shape.length === 0) return original.get(tf.GatherV2)!(args as never) as TensorInfo;
    const rowSize = x.shape.slice(1).reduce((a, b) => a * b, 1);
    const out = args.backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype); // may grow the heap: take views afterwards
    const ids = args.backend.typedArrayFromHeap(indices);
    const table = args.backend.typedArrayFromHeap(x);
    const rowsOut = args.backend.typedArrayFromHeap(out);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!(id >= 0 && id < x.shape[0])) {
        args.backend.disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${id} is not in [0, ${x.shape[0] - 1}]`);
      }
      rowsOut.set(table.subarray(id * rowSize, (id + 1) * rowSize), i * rowSize);
    }
    return out;
  });

  replace(tf.SplitV, args => {
    const x = args.inputs.x;
    if (x.dtype === 'string') return original.get(tf.SplitV)!(args as never) as TensorInfo[];
    const axis = tf.util.parseAxisParam(args.attrs.axis as number, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, args.attrs.numOrSizeSplits as number[] | number, axis);
    const begin = new Array(x.shape.length).fill(0);
    return sizes.map(s => {
      const size = x.shape.slice();
      size[axis] = s;
      const out = sliceInfo(args.backend, x, begin.slice(), size);
      begin[axis] += s;
      return out;
    });
  });
}

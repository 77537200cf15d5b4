/**
 * What this engine's WASM kernel replacements (wasmSlice.ts, wasmReductions.ts, nativeMatMul.ts)
 * use of tfjs-backend-wasm's backend object, and the one way they replace a kernel.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface TensorInfo { dataId: object; shape: number[]; dtype: tf.DataType }

export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  /** A view of the tensor's bytes in the WASM heap (invalidated when the heap grows). */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): void;
  /** One more tensor shares this data (freed when the last one is disposed). */
  incRef(dataId: object): void;
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  /** The Emscripten module: its heap is one ArrayBuffer (a SharedArrayBuffer on the threaded build). */
  wasm: { HEAPU8: Uint8Array };
}

export type KernelArgs = { inputs: Record<string, TensorInfo>; attrs: Record<string, unknown>; backend: WasmBackendLike };
export type WasmKernel = (args: KernelArgs) => TensorInfo | TensorInfo[];

/** The WASM kernel registered under `name` now, or undefined (another tfjs-backend-wasm). */
export function wasmKernel(name: string): WasmKernel | undefined {
  return tf.getKernel(name, 'wasm')?.kernelFunc as unknown as WasmKernel | undefined;
}

/** Registers `kernelFunc` as the WASM kernel `name` in place of the current one. */
export function replaceWasmKernel(name: string, kernelFunc: WasmKernel): void {
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

/** Where a tensor's data starts on the WASM heap, in floats (what the native kernels take). */
export function heapOffset(backend: WasmBackendLike, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset / 4;
}

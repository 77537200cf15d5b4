/**
 * Picks the fastest TensorFlow.js backend this machine can run.
 *
 * `tensorflow` (tfjs-node, native libtensorflow) is an optional dependency: its install script
 * downloads libtensorflow, which fails on machines without access to that host, so it is
 * detected at run time. Otherwise WASM (SIMD, loaded from node_modules — no network), else
 * the pure-JS `cpu` backend.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone ships no gradient definitions; the full tfjs package imports these.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { BackendName } from '../../shared/config';
import { registerWasmMatMulGradient, setExplicitTransposes } from './wasmMatMulGradient';
import { loadNativeBlas, nativeMatMulInUse, registerNativeMatMul } from './nativeMatMul';
import { registerNativeAdam } from './nativeAdam';
import { registerNativeLstm } from './nativeLstm';
import { registerWasmSliceKernels } from './wasmSlice';
import { registerWasmReductionKernels } from './wasmReductions';
import { registerThreadedWasm, unregisterThreadedWasm } from './wasmThreads';

export { nativeMatMulInUse } from './nativeMatMul';

export type ConcreteBackend = 'tensorflow' | 'wasm' | 'cpu';

export class BackendError extends Error {}

let loaded: ConcreteBackend | undefined;
let wasmThreadsInUse = 1;
let nativeMatMulProblem: string | undefined;

export interface BackendOptions {
  /**
   * WASM only: threads inside each kernel (XNNPACK's pool on the threaded SIMD build, see
   * wasmThreads.ts); 1 = the single-threaded SIMD build. Only the first initialisation counts.
   */
  wasmThreads?: number;
}

/**
 * Where tfjs-node's native binding would be. Its package can be present without one (npm 11
 * skips install scripts unless approved; a failed libtensorflow download): importing it then
 * fails only after it has loaded a second copy of tfjs and re-registered every kernel, so the
 * binding is looked for first.
 */
export function tfjsNodeBindingProblem(resolvePackageJson = () => require.resolve('@tensorflow/tfjs-node/package.json')): string | undefined {
  let root: string;
  try {
    root = path.dirname(resolvePackageJson());
  } catch {
    return 'not installed';
  }
  const lib = path.join(root, 'lib');
  const found = fs.existsSync(lib) && fs.readdirSync(lib, { recursive: true, encoding: 'utf8' }).some(f => f.endsWith('tfjs_binding.node'));
  return found ? undefined : `installed without its native binding (${lib} has no tfjs_binding.node: its install script did not run or failed)`;
}

/**
 * The native packages that register the `tensorflow` backend, in the order tried: the CUDA build
 * first (a GPU machine, e.g. a Codespace or a Remote-SSH box where the user installed
 * `@tensorflow/tfjs-node-gpu` beside the extension), then the CPU build.
 */
export const TFJS_NODE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** Loads the first native package that has its binding; the problems of each otherwise. */
export function tryLoadTfjsNode(
  resolve: (name: string) => string = name => require.resolve(`${name}/package.json`),
  load: (name: string) => void = name => require(name),
): { loaded?: string; problems: string[] } {
  const problems: string[] = [];
  for (const name of TFJS_NODE_PACKAGES) {
    const bindingProblem = tfjsNodeBindingProblem(() => resolve(name));
    if (bindingProblem) {
      problems.push(`${name}: ${bindingProblem}`);
      continue;
    }
    try {
      // tfjs-node(-gpu) registers the 'tensorflow' backend on import. It must resolve to the same
      // tfjs-core instance; package.json pins both to the same version.
      load(name);
      return { loaded: name, problems };
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return { problems };
}

/**
 * Initialises `requested` ('auto' tries tensorflow → wasm → cpu) and returns the backend in use.
 * Calling it again with the backend already active is free.
 */
export async function initBackend(requested: BackendName = 'auto', options: BackendOptions = {}): Promise<ConcreteBackend> {
  if (loaded && (requested === 'auto' || requested === loaded)) return loaded;
  const order: ConcreteBackend[] = requested === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [requested];
  const reasons: string[] = [];
  for (const name of order) {
    if (name === 'tensorflow') {
      const native = tryLoadTfjsNode();
      if (!native.loaded) {
        reasons.push(`tensorflow: no native TensorFlow package loaded (${native.problems.join('; ')})`);
        continue;
      }
    } else if (name === 'wasm') {
      try {
        const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
        // In the bundle (dist/) the .wasm files sit next to this code; from sources they are
        // found in node_modules by the package itself.
        if (fs.existsSync(path.join(__dirname, 'tfjs-backend-wasm-simd.wasm'))) wasm.setWasmPaths(__dirname + path.sep);
        const threads = options.wasmThreads ?? 1;
        if (threads > 1) {
          const problem = registerThreadedWasm(threads);
          if (problem) reasons.push(`wasm threads: ${problem} (single-threaded build used)`);
          else wasmThreadsInUse = threads;
        }
      } catch (error) {
        reasons.push(`wasm: ${(error as Error).message.split('\n')[0]}`);
        continue;
      }
    }
    if (name === 'wasm' && wasmThreadsInUse > 1) {
      try {
        if (await tf.setBackend(name)) {
          await tf.ready();
        }
      } catch (error) {
        reasons.push(`wasm threads: ${(error as Error).message.split('\n')[0]} (single-threaded build used)`);
      }
      if (tf.getBackend() !== 'wasm') {
        unregisterThreadedWasm();
        wasmThreadsInUse = 1;
      }
    }
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        if (name === 'wasm') {
          registerWasmMatMulGradient();
          registerWasmSliceKernels();
          // The threaded build's heap is a SharedArrayBuffer, which the native kernel does not take.
          const native = wasmThreadsInUse === 1 ? loadNativeBlas() : { problem: 'not used with the threaded WASM build' };
          if (native.blas) {
            registerNativeMatMul(native.blas);
            registerNativeLstm(native.blas);
            registerNativeAdam(native.blas);
            setExplicitTransposes(false);
          } else {
            nativeMatMulProblem = native.problem;
          }
          registerWasmReductionKernels(() => nativeMatMulInUse() !== undefined); // after BatchMatMul: its Sum uses the one in place
        }
        loaded = name;
        return name;
      }
      reasons.push(`${name}: setBackend returned false`);
    } catch (error) {
      reasons.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new BackendError(`no TensorFlow.js backend could start (${reasons.join('; ')})`);
}

export function activeBackend(): ConcreteBackend | undefined {
  return loaded;
}

/** Threads per kernel on the WASM backend (1 unless the threaded build is in use). */
export function wasmThreads(): number {
  return loaded === 'wasm' ? wasmThreadsInUse : 1;
}

/** Which kernel computes matrix products, and why not the native one where it is not. */
export function matMulKernel(): { kernel: string; nativeProblem?: string } {
  if (loaded !== 'wasm') return { kernel: loaded === 'tensorflow' ? 'TensorFlow (native)' : 'tfjs cpu (JavaScript)' };
  const native = nativeMatMulInUse();
  return native ? { kernel: `native BLAS (${native.config().split(' ').slice(0, 2).join(' ')})` } : { kernel: 'XNNPACK (WASM SIMD)', nativeProblem: nativeMatMulProblem };
}

/**
 * Threads inside each native matrix product (process-wide): the cores when training runs on one
 * thread, 1 with data-parallel workers (one product per worker). No effect without the kernel.
 */
export function setMatMulThreads(threads: number): void {
  nativeMatMulInUse()?.setThreads(Math.max(1, Math.floor(threads)));
}

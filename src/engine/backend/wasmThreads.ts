/**
 * The WASM backend's threaded SIMD build (XNNPACK's thread pool: both cores inside one matmul)
 * in Node.js.
 *
 * tfjs-backend-wasm 4.22 never picks that build in Node (its WASM_HAS_MULTITHREAD_SUPPORT flag
 * returns false there), and if forced it fails: Emscripten starts its pthread workers from
 * `blob:` URLs (the worker script and the main script are Blobs), which `worker_threads`
 * rejects. Here the same two scripts are written once to a content-addressed folder under the
 * OS temp directory and the Emscripten module is given their file paths (`locateFile` for the
 * worker, `mainScriptUrlOrBlob` for the main script); everything else is tfjs's own
 * BackendWasm, registered under the name 'wasm' so every WASM kernel applies.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';

type EmscriptenFactory = ((config: Record<string, unknown>) => Promise<EmscriptenModule>) & { toString(): string };
interface EmscriptenModule { cwrap(name: string, returns: string | null, args: string[]): unknown; tfjs?: unknown; PThread?: { runningWorkers?: Array<{ unref?: () => void }> } }

const THREADED_WASM = 'tfjs-backend-wasm-threaded-simd.wasm';

let restoreSingleThreaded: (() => void) | undefined;

/** Puts tfjs's own (single-threaded SIMD) 'wasm' registration back, e.g. after the threaded one failed to start. */
export function unregisterThreadedWasm(): void {
  restoreSingleThreaded?.();
  restoreSingleThreaded = undefined;
}

/** Writes `text` to `dir/name` unless it is already there (atomically: temp file + rename). */
function ensureFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return file;
  fs.mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
  return file;
}

/** Where the threaded .wasm binary is: next to the bundle (dist/) or in node_modules. */
export function threadedWasmBinary(bundleDir = __dirname): string | undefined {
  const candidates = [path.join(bundleDir, THREADED_WASM)];
  try {
    candidates.push(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist', THREADED_WASM));
  } catch { /* not resolvable from a bundle */ }
  return candidates.find(f => fs.existsSync(f));
}

/**
 * Registers (replacing tfjs's registration) the 'wasm' backend on the threaded SIMD build with
 * `threads` threads. Returns why not when it cannot (no SharedArrayBuffer, binary missing).
 * Call before the 'wasm' backend is first initialised.
 */
export function registerThreadedWasm(threads: number): string | undefined {
  if (typeof SharedArrayBuffer === 'undefined') return 'no SharedArrayBuffer';
  const binary = threadedWasmBinary();
  if (!binary) return `${THREADED_WASM} not found`;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const factoryImport = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const factory = (factoryImport.default ?? factoryImport) as EmscriptenFactory;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const workerTemplate = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js').wasmWorkerContents as string;
  // The script is kept in a template literal, so its "\n" escapes arrived as newlines (tfjs
  // escapes them back the same way before making its Blob).
  const workerContents = workerTemplate.replace(/\n/g, '\\n');
  // The C++ side caps the pool at emscripten_num_logical_cores() / 2 ("2 threads per core"):
  // 1 on a 2-core machine. The module reports the core count it is given instead.
  const source = factory.toString();
  const cores = 'function _emscripten_num_logical_cores(){';
  if (!source.includes(cores)) return 'unknown tfjs-backend-wasm threaded build (no _emscripten_num_logical_cores)';
  const patched = source.replace(cores, `${cores}if(Module["logicalCores"])return Module["logicalCores"];`);
  const mainScript = `var WasmBackendModuleThreadedSimd = ${patched};\nif (typeof module === 'object') module.exports = WasmBackendModuleThreadedSimd;\n`;
  const hash = crypto.createHash('sha256').update(workerContents).update(mainScript).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `seq2seq-lab-wasm-${hash}`);
  const workerFile = ensureFile(dir, 'tfjs-backend-wasm-threaded-simd.worker.js', workerContents);
  const mainFile = ensureFile(dir, 'tfjs-backend-wasm-threaded-simd.js', mainScript);
  const patchedFactory = require(mainFile) as EmscriptenFactory; // the main thread runs the same script as the workers
  wasm.setThreadsCount(threads);
  const singleThreaded = tf.findBackendFactory('wasm');
  restoreSingleThreaded = () => {
    wasm.setThreadsCount(1);
    tf.removeBackend('wasm');
    if (singleThreaded) tf.registerBackend('wasm', singleThreaded, 2);
  };
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', async () => {
    const module = await patchedFactory({
      logicalCores: 2 * threads,
      locateFile: (file: string) => (file.endsWith('.worker.js') ? workerFile : file.endsWith('.wasm') ? binary : file),
      mainScriptUrlOrBlob: mainFile,
    });
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    };
    const backend = new wasm.BackendWasm(module as never); // starts the pool's threads
    // Emscripten refs a worker while it runs a pthread; the pool's threads never return, so
    // without this the process could not exit once the work is done.
    for (const worker of module.PThread?.runningWorkers ?? []) worker.unref?.();
    return backend;
  }, 2);
  return undefined;
}

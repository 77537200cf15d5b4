/**
 * Child process of wasmThreads.test.ts (the backend is per process): starts the threaded WASM
 * build with 2 threads, prints the thread count and a matmul + LSTM-sized step compared with
 * the pure-JS cpu backend's result.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, wasmThreads } from '../../../../src/engine/backend';

async function main(): Promise<void> {
  const backend = await initBackend('wasm', { wasmThreads: 2 });
  const pool = (tf.backend() as unknown as { wasm: { tfjs: { getThreadsCount(): number } } }).wasm.tfjs.getThreadsCount();
  const values = (seed: number, n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 0.37));
  const a = values(1, 96 * 160);
  const b = values(2, 160 * 224);
  const run = () => tf.tidy(() => tf.sigmoid(tf.matMul(tf.tensor2d(a, [96, 160]), tf.tensor2d(b, [160, 224]))).dataSync());
  const threaded = run();
  await tf.setBackend('cpu');
  const reference = run();
  let maxDiff = 0;
  for (let i = 0; i < reference.length; i++) maxDiff = Math.max(maxDiff, Math.abs(threaded[i] - reference[i]));
  process.stdout.write(JSON.stringify({ backend, wasmThreads: wasmThreads(), pool, maxDiff }) + '\n');
  // No process.exit: the test also checks that the pool's threads let the process end.
}
main().catch(error => {
  process.stderr.write(String(error) + '\n');
  process.exit(1);
});

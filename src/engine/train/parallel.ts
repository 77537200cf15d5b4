/**
 * Synchronous data-parallel training over worker threads.
 *
 * tfjs-backend-wasm cannot use threads in Node (its pthread build loads workers from blob
 * URLs), so one process uses one core. Here each training step splits the global batch: the
 * main thread computes the gradients of its share while each helper thread — a worker_thread
 * with its own tfjs instance and model copy — computes those of another share. The shares'
 * gradients are averaged weighted by their real target-token counts, so the result is the
 * gradient of the single-worker masked mean loss over the whole batch; the main thread clips
 * and applies the one update and sends the new weights with the next step's work. A test
 * checks that two workers give the parameters one worker gives on the same global batches.
 *
 * Deterministic equivalence holds without dropout and with teacher forcing 1 (dropout masks
 * and scheduled-sampling coin flips are drawn per share, from seeds derived from the step's).
 */
import { createRequire } from 'module';
import * as os from 'os';
import * as path from 'path';
import { isMainThread, parentPort, Worker } from 'worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import type { Seq2SeqConfig } from '../../shared/config';
import { activeBackend, ConcreteBackend, initBackend, nativeMatMulInUse, setMatMulThreads } from '../backend';
import { BatchOptions, disposeBatch, EncodedPair, makeBatch, targetTokenCount } from '../model/batch';
import { ModelShape, Seq2SeqModel } from '../model/seq2seq';
import type { Optimizer } from './optimizer';
import { applyGradients, computeGradients, StepResult } from './step';

export interface ParallelStepOptions {
  training: boolean;
  teacherForcing: number;
  labelSmoothing: number;
  learningRate: number;
  clipNorm: number;
  /** Seeds this step's teacher-forcing coin flips (one stream per share). */
  randomSeed: string;
  /** Dropout seed of this step (`model.setDropoutSeed`); share k uses seed·(k+1)… offsets. */
  dropoutSeed?: number;
}

interface InitMessage { type: 'init'; backend: ConcreteBackend; config: Seq2SeqConfig; shape: ModelShape }
interface StepMessage { type: 'step'; weights: Float32Array; pairs: EncodedPair[]; batchOptions: BatchOptions; options: ParallelStepOptions; share: number }
interface GradientReply { type: 'gradients'; loss: number; names: string[]; values: Float32Array }
type Reply = { type: 'ready' } | GradientReply | { type: 'error'; message: string };

/** A model whose matrix products are big enough that threads inside each product beat data-parallel workers. */
export interface ModelSize { hiddenSize: number; targetVocabSize: number }

/**
 * Where the native matmul kernel's threads beat data-parallel workers: measured on 2 cores,
 * B2 (hidden 512, vocab 8,000) trains 1,045 target tok/s on one worker with 2 BLAS threads
 * against 843 on two workers (and needs 1.25 GB instead of 1.9 GB); B1 (hidden 256, vocab 40)
 * is the other way round (3,839 against 3,378).
 */
export function productsAreLarge(size: ModelSize): boolean {
  return size.hiddenSize >= 512 || size.targetVocabSize >= 4096;
}

/**
 * Training threads for the `workers` setting: 0 = auto — 2 on WASM and cpu (one thread each)
 * when the machine has two or more cores, 1 on tfjs-node (already multi-threaded), and 1 with
 * the native matmul kernel for a model with large products (its BLAS threads use the cores).
 */
export function resolveWorkers(setting: number, backend = activeBackend(), cores = os.cpus().length, size?: ModelSize, nativeProducts = nativeMatMulInUse() !== undefined): number {
  if (setting > 0) return setting;
  if (backend === 'wasm' && nativeProducts && size && productsAreLarge(size)) return 1;
  return backend !== 'tensorflow' && cores >= 2 ? 2 : 1;
}

/**
 * Sets the native kernel's threads for training on `workers` threads — one product per worker,
 * or the cores inside each product on one — and returns `workers`.
 */
export function useTrainingThreads(workers: number, cores = os.cpus().length): number {
  setMatMulThreads(workers > 1 ? 1 : cores);
  return workers;
}

/** Splits pairs into `parts` contiguous shares of about equal real target tokens (each non-empty). */
export function splitPairs(pairs: EncodedPair[], parts: number): EncodedPair[][] {
  const n = Math.min(parts, pairs.length);
  const total = targetTokenCount(pairs);
  const shares: EncodedPair[][] = [];
  let start = 0;
  let seen = 0;
  for (let k = 0; k < n - 1; k++) {
    let end = start + 1;
    seen += pairs[start].target.length + 1;
    const goal = (total * (k + 1)) / n;
    while (end < pairs.length - (n - 1 - k) && seen + (pairs[end].target.length + 1) / 2 <= goal) seen += pairs[end++].target.length + 1;
    shares.push(pairs.slice(start, end));
    start = end;
  }
  shares.push(pairs.slice(start));
  return shares;
}

/** All parameters packed in name order into one array (a copy). */
function packWeights(model: Seq2SeqModel): Float32Array {
  const names = model.params.names();
  const out = new Float32Array(model.params.count());
  let offset = 0;
  for (const name of names) {
    const values = model.params.get(name).dataSync() as Float32Array;
    out.set(values, offset);
    offset += values.length;
  }
  return out;
}

function unpackWeights(model: Seq2SeqModel, packed: Float32Array): void {
  let offset = 0;
  for (const name of model.params.names()) {
    const variable = model.params.get(name);
    const value = tf.tensor(packed.subarray(offset, offset + variable.size), variable.shape, 'float32');
    variable.assign(value);
    value.dispose();
    offset += variable.size;
  }
}

/** Gradients of one share: loss (mean over its tokens) and the gradients packed in name order. */
function shareGradients(model: Seq2SeqModel, pairs: EncodedPair[], batchOptions: BatchOptions, options: ParallelStepOptions, share: number): { loss: tf.Scalar; grads: Map<string, tf.Tensor> } {
  const batch = makeBatch(pairs, batchOptions);
  try {
    if (options.dropoutSeed !== undefined) model.setDropoutSeed(options.dropoutSeed + share * 100_003);
    return computeGradients(model, batch, {
      training: options.training, teacherForcing: options.teacherForcing, labelSmoothing: options.labelSmoothing,
      random: seedrandom(`${options.randomSeed}:share:${share}`),
    });
  } finally {
    disposeBatch(batch);
  }
}

export class DataParallel {
  /** Why worker k stopped, once it has (later requests fail at once instead of waiting forever). */
  private readonly failed: Array<string | undefined> = [];

  private constructor(private readonly workers: Worker[], private readonly pending: Array<(reply: Reply) => void>[]) {}

  /**
   * Starts `count − 1` helper threads (the main thread is the first worker) with a copy of
   * `model`'s architecture on the active backend. `count` 1 starts none.
   */
  static async start(model: Seq2SeqModel, count: number): Promise<DataParallel> {
    const backend = activeBackend();
    if (!backend) throw new Error('DataParallel.start: initialise a backend first');
    const workers: Worker[] = [];
    const pending: Array<(reply: Reply) => void>[] = [];
    const parallel = new DataParallel(workers, pending);
    try {
      for (let k = 1; k < count; k++) {
        const worker = spawnWorker();
        const queue: Array<(reply: Reply) => void> = [];
        worker.on('message', (reply: Reply) => queue.shift()?.(reply));
        const k1 = k - 1;
        worker.on('error', error => {
          parallel.failed[k1] ??= error.message;
          for (const fn of queue.splice(0)) fn({ type: 'error', message: error.message });
        });
        worker.on('exit', code => {
          parallel.failed[k1] ??= `exited (${code})`;
          for (const fn of queue.splice(0)) fn({ type: 'error', message: `exited (${code})` });
        });
        workers.push(worker);
        pending.push(queue);
      }
      const init: InitMessage = { type: 'init', backend, config: model.config, shape: model.shape };
      await Promise.all(workers.map((_, k) => parallel.request(k, init)));
    } catch (error) {
      await parallel.dispose();
      throw error;
    }
    return parallel;
  }

  get size(): number {
    return this.workers.length + 1;
  }

  private request(k: number, message: InitMessage | StepMessage): Promise<Reply> {
    return new Promise((resolve, reject) => {
      if (this.failed[k] !== undefined) {
        reject(new Error(`training worker ${k + 1}: ${this.failed[k]}`));
        return;
      }
      this.pending[k].push(reply => (reply.type === 'error' ? reject(new Error(`training worker ${k + 1}: ${reply.message}`)) : resolve(reply)));
      this.workers[k].postMessage(message);
    });
  }

  /**
   * One step over the global batch `pairs`: gradients of each share in parallel, combined by
   * token weight, clipped and applied to `model` through `optimizer`.
   */
  async step(model: Seq2SeqModel, optimizer: Optimizer, pairs: EncodedPair[], batchOptions: BatchOptions, options: ParallelStepOptions): Promise<StepResult> {
    // Only plain fields cross to the workers (callers may pass a wider object).
    options = {
      training: options.training, teacherForcing: options.teacherForcing, labelSmoothing: options.labelSmoothing, learningRate: options.learningRate,
      clipNorm: options.clipNorm, randomSeed: options.randomSeed, dropoutSeed: options.dropoutSeed,
    };
    const shares = splitPairs(pairs, this.size);
    const total = targetTokenCount(pairs, batchOptions);
    const weights = shares.length > 1 ? packWeights(model) : undefined;
    const replies = shares.slice(1).map((share, k) => this.request(k, { type: 'step', weights: weights!, pairs: share, batchOptions, options, share: k + 1 }));
    // The main thread's share runs while the workers compute theirs.
    let own: ReturnType<typeof shareGradients>;
    try {
      own = shareGradients(model, shares[0], batchOptions, options, 0);
    } catch (error) {
      await Promise.allSettled(replies); // keep the workers' reply queues in step
      throw error;
    }
    const settled = await Promise.allSettled(replies);
    const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected) {
      own.loss.dispose();
      own.grads.forEach(g => g.dispose());
      throw rejected.reason;
    }
    const others = settled.map(r => (r as PromiseFulfilledResult<Reply>).value as GradientReply);
    const combined = new Map<string, tf.Tensor>();
    let loss: tf.Scalar;
    try {
      const ownWeight = targetTokenCount(shares[0], batchOptions) / total;
      loss = tf.tidy(() => {
        let sum = tf.mul(own.loss, ownWeight) as tf.Scalar;
        others.forEach((reply, k) => { sum = tf.add(sum, reply.loss * (targetTokenCount(shares[k + 1], batchOptions) / total)) as tf.Scalar; });
        return sum;
      });
      tf.tidy(() => {
        const parts = new Map<string, tf.Tensor[]>();
        own.grads.forEach((g, name) => parts.set(name, [tf.mul(g, ownWeight)]));
        others.forEach((reply, k) => {
          const weight = targetTokenCount(shares[k + 1], batchOptions) / total;
          let offset = 0;
          for (const name of reply.names) {
            const variable = model.params.get(name);
            const g = tf.tensor(reply.values.subarray(offset, offset + variable.size), variable.shape, 'float32');
            offset += variable.size;
            const list = parts.get(name) ?? [];
            list.push(tf.mul(g, weight));
            parts.set(name, list);
          }
        });
        parts.forEach((list, name) => combined.set(name, tf.keep(list.length === 1 ? list[0] : tf.addN(list))));
      });
    } finally {
      own.loss.dispose();
      own.grads.forEach(g => g.dispose());
    }
    try {
      return applyGradients(optimizer, loss, combined, options);
    } finally {
      loss.dispose();
      combined.forEach(g => g.dispose());
    }
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.splice(0).map(w => w.terminate()));
  }
}

const WORKER_FLAG = '__seq2seqTrainingWorker';

/**
 * A worker running this module's `workerMain`. From TypeScript sources (tsx, tests) it loads
 * tsx first; from the bundle it loads the bundle itself, whose `require.main` guards keep the
 * CLI / engine entry from starting (require.main is undefined in an eval worker).
 */
function spawnWorker(): Worker {
  const self = __filename;
  const lines = [`globalThis.${WORKER_FLAG} = true;`];
  if (self.endsWith('.ts')) lines.push(`require(${JSON.stringify(createRequire(self).resolve('tsx/cjs'))});`);
  lines.push(`require(${JSON.stringify(self)});`);
  return new Worker(lines.join('\n'), { eval: true, env: { ...process.env }, stderr: false, stdout: false, cwd: path.dirname(self) } as ConstructorParameters<typeof Worker>[1]);
}

function workerMain(): void {
  const port = parentPort!;
  let model: Seq2SeqModel | undefined;
  const fail = (error: unknown) => port.postMessage({ type: 'error', message: (error as Error)?.message ?? String(error) });
  port.on('message', (message: InitMessage | StepMessage) => {
    if (message.type === 'init') {
      initBackend(message.backend).then(() => {
        model = new Seq2SeqModel(message.config, message.shape);
        port.postMessage({ type: 'ready' });
      }, fail);
      return;
    }
    try {
      unpackWeights(model!, message.weights);
      const { loss, grads } = shareGradients(model!, message.pairs, message.batchOptions, message.options, message.share);
      const names = [...grads.keys()];
      let size = 0;
      for (const name of names) size += grads.get(name)!.size;
      const values = new Float32Array(size);
      let offset = 0;
      for (const name of names) {
        const g = grads.get(name)!;
        values.set(g.dataSync() as Float32Array, offset);
        offset += g.size;
        g.dispose();
      }
      const lossValue = loss.dataSync()[0];
      loss.dispose();
      port.postMessage({ type: 'gradients', loss: lossValue, names, values } satisfies GradientReply, [values.buffer]);
    } catch (error) {
      fail(error);
    }
  });
}

if (!isMainThread && (globalThis as Record<string, unknown>)[WORKER_FLAG] === true && parentPort) workerMain();

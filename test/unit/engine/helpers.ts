import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/engine/backend';
import { DEFAULT_CONFIG, Seq2SeqConfig } from '../../../src/shared/config';
import { disposeBatch, makeBatch, type EncodedPair } from '../../../src/engine/model/batch';
import { Seq2SeqModel } from '../../../src/engine/model/seq2seq';
import { batchLoss } from '../../../src/engine/train/step';

/**
 * Tests run on the backend the engine would pick here (wasm), or S2S_TEST_BACKEND;
 * S2S_TEST_WASM_THREADS=2 runs them on the threaded WASM build.
 */
export async function useTestBackend(): Promise<string> {
  const name = (process.env.S2S_TEST_BACKEND ?? 'auto') as 'auto' | 'wasm' | 'cpu';
  return initBackend(name, { wasmThreads: Number(process.env.S2S_TEST_WASM_THREADS ?? 1) });
}

export function tinyConfig(overrides: Partial<Seq2SeqConfig> = {}): Seq2SeqConfig {
  return { ...DEFAULT_CONFIG, embeddingSize: 5, hiddenSize: 4, attentionSize: 3, dropout: 0, ...overrides };
}

/** A few pairs of different lengths over ids 4..vocab-1. */
export function tinyPairs(vocab = 9): EncodedPair[] {
  return [
    { source: [4, 5, 6, 7], target: [5, 6] },
    { source: [8, 4], target: [7, 4, 8] },
    { source: [6, 6, 5], target: [4] },
  ].map(p => ({ source: p.source.map(i => Math.min(i, vocab - 1)), target: p.target.map(i => Math.min(i, vocab - 1)) }));
}

export function tensorCount(): number {
  return tf.memory().numTensors;
}

/** tinyPairs plus a long and a one-token source: several rows of a batch are padded. */
export function paddedPairs(vocab = 11): EncodedPair[] {
  return [...tinyPairs(vocab), { source: [9, 10, 4, 5, 6, 7], target: [10, 9, 8, 7] }, { source: [5], target: [6, 6] }];
}

/**
 * The teacher-forced loss of `pairs` (label smoothing 0.1) and its gradient for every
 * parameter, by name: what the implementation-equivalence tests compare.
 */
export function lossAndGradients(
  model: Seq2SeqModel,
  pairs: EncodedPair[],
  options: { batch?: Parameters<typeof makeBatch>[1]; forceStepwise?: boolean } = {},
): { loss: number; grads: Map<string, Float32Array> } {
  const batch = makeBatch(pairs, options.batch);
  try {
    const names = model.params.names();
    const { value, grads } = tf.variableGrads(
      () => batchLoss(model, batch, { training: false, teacherForcing: 1, random: () => 0, labelSmoothing: 0.1, forceStepwise: options.forceStepwise }).loss,
      names.map(n => model.params.get(n)),
    );
    const out = new Map<string, Float32Array>();
    for (const name of names) out.set(name, grads[model.params.get(name).name].dataSync() as Float32Array);
    const loss = value.dataSync()[0];
    value.dispose();
    Object.values(grads).forEach(g => g.dispose());
    return { loss, grads: out };
  } finally {
    disposeBatch(batch);
  }
}

/**
 * A hand-built "bigram" decoder: the logits of each step are `table[previous token]`, whatever
 * the source (vanilla RNN, no attention, zero initial state). The target embedding is 10·I and
 * the cell's input weight I with no recurrence, so h = tanh(10)·onehot(previous); the output
 * weight is table / tanh(10). Vocabulary size = table.length.
 */
export function bigramModel(table: number[][], overrides: Partial<Seq2SeqConfig> = {}): Seq2SeqModel {
  const vocab = table.length;
  const config = tinyConfig({ cell: 'rnn', attention: 'none', bridge: 'zeros', bidirectional: false, embeddingSize: vocab, hiddenSize: vocab, ...overrides });
  const model = new Seq2SeqModel(config, { sourceVocabSize: vocab, targetVocabSize: vocab });
  const set = (name: string, value: tf.Tensor) => {
    model.params.get(name).assign(value);
    value.dispose();
  };
  set('target/embedding', tf.mul(tf.eye(vocab), 10));
  set('decoder/0/W', tf.eye(vocab));
  set('decoder/0/U', tf.zeros([vocab, vocab]));
  set('decoder/0/b', tf.zeros([vocab]));
  set('output/W', tf.div(tf.tensor2d(table), Math.tanh(10)));
  set('output/b', tf.zeros([vocab]));
  return model;
}

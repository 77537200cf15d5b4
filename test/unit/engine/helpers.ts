import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../src/engine/backend';
import { DEFAULT_CONFIG, Seq2SeqConfig } from '../../../src/shared/config';
import type { EncodedPair } from '../../../src/engine/model/batch';

/** Tests run on the backend the engine would pick here (wasm), or S2S_TEST_BACKEND. */
export async function useTestBackend(): Promise<string> {
  const name = (process.env.S2S_TEST_BACKEND ?? 'auto') as 'auto' | 'wasm' | 'cpu';
  return initBackend(name);
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

/**
 * The sliced encoder (Yu & Liu 2018) computed two ways: the model's batched encoder against
 * the same layers run by hand on each slice's real tokens alone — the attention memory is each
 * slice's own RNN outputs, the decoder starts from the upper levels' RNN over the slices' last
 * states, and padded slices are skipped. The gradients are checked in gradients.test.ts and
 * fused.test.ts.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { Seq2SeqModel } from '../../../src/engine/model/seq2seq';
import { CellState, RecurrentLayer } from '../../../src/engine/model/cells';
import { ParamStore } from '../../../src/engine/model/params';
import { makeBatch, disposeBatch } from '../../../src/engine/model/batch';
import { validateConfig } from '../../../src/shared/config';
import { tinyConfig, useTestBackend } from './helpers';

const VOCAB = 12;

/** A copy of the model's layer `name` (same weights), to run by hand. */
function layerCopy(model: Seq2SeqModel, name: string, inputSize: number): RecurrentLayer {
  const store = new ParamStore(0);
  const layer = new RecurrentLayer(store, name, model.config.cell, inputSize, model.config.hiddenSize);
  for (const [param, variable] of store.entries()) variable.assign(model.params.get(param));
  return layer;
}

/** Runs `layer` over rows [n, width] as one sequence from the zero state, no padding. */
function runAlone(layer: RecurrentLayer, rows: tf.Tensor2D): { outputs: tf.Tensor2D; final: CellState } {
  const run = layer.run(tf.expandDims(rows, 0) as tf.Tensor3D, layer.zeroState(1), undefined, false);
  return { outputs: tf.squeeze(run.outputs, [0]) as tf.Tensor2D, final: run.final };
}

function assertClose(actual: tf.Tensor, expected: tf.Tensor, what: string): void {
  const a = actual.dataSync();
  const e = expected.dataSync();
  assert.equal(a.length, e.length, `${what}: size`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - e[i]) < 1e-5, `${what}[${i}]: ${a[i]} vs ${e[i]}`);
}

describe('sliced encoder', function () {
  before(useTestBackend);

  for (const cell of ['gru', 'lstm'] as const) {
    it(`${cell}, K=2 n=2: memory = each slice's own outputs; decoder state = the levels' RNN over last states`, () => {
      const config = tinyConfig({ cell, encoderType: 'sliced', sliceCount: 2, sliceLevels: 2, bidirectional: false, attention: 'dot', bridge: 'dense' });
      const model = new Seq2SeqModel(config, { sourceVocabSize: VOCAB, targetVocabSize: VOCAB }, 3);
      // 7 tokens → 4 slices of 2 (the last holds one); 3 tokens → slices of 1: [5] [6] [7] [] —
      // the fourth slice is padding only and level 1's second group is [7, padding].
      const sources = [[4, 5, 6, 7, 8, 9, 10], [5, 6, 7]];
      const batch = makeBatch(sources.map(source => ({ source, target: [4] })));
      try {
        tf.tidy(() => {
          const encoded = model.encode(batch.sourceIds, batch.sourceMask, false);
          assert.deepEqual(encoded.memory.shape, [2, 7, config.hiddenSize]);
          const level0 = layerCopy(model, 'encoder/0/fw', config.embeddingSize);
          const level1 = layerCopy(model, 'encoder/level1/fw', config.hiddenSize);
          const level2 = layerCopy(model, 'encoder/level2/fw', config.hiddenSize);
          const table = model.params.get('source/embedding') as tf.Tensor2D;
          sources.forEach((source, b) => {
            const own = Math.ceil(source.length / 4);
            const slices: number[][] = [];
            for (let j = 0; j < 4; j++) slices.push(source.slice(j * own, (j + 1) * own));
            const lasts: tf.Tensor2D[] = [];
            slices.forEach((tokens, j) => {
              if (tokens.length === 0) return; // padding only: skipped by the level above
              const run = runAlone(level0, tf.gather(table, tf.tensor1d(tokens, 'int32')));
              const memory = tf.slice(encoded.memory, [b, j * own, 0], [1, tokens.length, config.hiddenSize]);
              assertClose(memory, run.outputs, `${cell} sentence ${b} slice ${j} memory`);
              lasts.push(run.final.h);
            });
            const groups: tf.Tensor2D[] = [];
            for (let g = 0; g < lasts.length; g += 2) groups.push(runAlone(level1, tf.concat(lasts.slice(g, g + 2), 0) as tf.Tensor2D).final.h);
            const top = runAlone(level2, tf.concat(groups, 0) as tf.Tensor2D).final;
            const bridge = (kind: 'h' | 'c', state: tf.Tensor2D) =>
              tf.tanh(tf.add(tf.matMul(state, model.params.get(`bridge/0/${kind}/W`) as tf.Tensor2D), model.params.get(`bridge/0/${kind}/b`)));
            const initial = encoded.initialStates[0];
            assertClose(tf.slice(initial.h, [b, 0], [1, config.hiddenSize]), bridge('h', top.h), `${cell} sentence ${b} decoder h`);
            if (cell === 'lstm') assertClose(tf.slice(initial.c!, [b, 0], [1, config.hiddenSize]), bridge('c', top.c!), `sentence ${b} decoder c`);
          });
        });
      } finally {
        disposeBatch(batch);
        model.dispose();
      }
    });
  }

  it('a sentence encodes the same alone, in a batch and padded further (bidirectional)', () => {
    const config = tinyConfig({ cell: 'lstm', encoderType: 'sliced', sliceCount: 3, sliceLevels: 1 });
    const model = new Seq2SeqModel(config, { sourceVocabSize: VOCAB, targetVocabSize: VOCAB }, 4);
    const source = [4, 5, 6, 7, 8];
    const encodeFirst = (sources: number[][], padSourceTo = 0) => {
      const batch = makeBatch(sources.map(s => ({ source: s, target: [4] })), { padSourceTo });
      try {
        return tf.tidy(() => {
          const encoded = model.encode(batch.sourceIds, batch.sourceMask, false);
          return [tf.slice(encoded.memory, [0, 0, 0], [1, source.length, -1]).dataSync(), tf.slice(encoded.initialStates[0].h, [0, 0], [1, -1]).dataSync()];
        });
      } finally {
        disposeBatch(batch);
      }
    };
    try {
      const alone = encodeFirst([source]);
      for (const other of [encodeFirst([source, [9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11]]), encodeFirst([source], 13)]) {
        alone.forEach((values, i) => values.forEach((v, k) => assert.ok(Math.abs(v - other[i][k]) < 1e-5, `${i}[${k}]: ${v} vs ${other[i][k]}`)));
      }
    } finally {
      model.dispose();
    }
  });

  it('the schema bounds K^n', () => {
    assert.deepEqual(validateConfig({ encoderType: 'sliced', sliceCount: 8, sliceLevels: 4 }).errors.map(e => e.key), ['sliceLevels']);
    assert.deepEqual(validateConfig({ encoderType: 'sliced', sliceCount: 32, sliceLevels: 2 }).errors, []);
  });
});

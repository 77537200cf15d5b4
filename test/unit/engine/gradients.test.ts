/**
 * Numeric gradient checks (micrograd-style: compute the same thing two ways).
 * Autodiff gradients of the training loss — through the custom embedding gradient, every cell,
 * every attention, the bridge, stacking options, the copy prior and the sliced encoder — must match central
 * differences (f(θ+ε) − f(θ−ε)) / 2ε on a sample of coordinates of every parameter.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import { Seq2SeqModel } from '../../../src/engine/model/seq2seq';
import { makeBatch, disposeBatch } from '../../../src/engine/model/batch';
import { batchLoss } from '../../../src/engine/train/step';
import type { Seq2SeqConfig } from '../../../src/shared/config';
import { tinyConfig, tinyPairs, useTestBackend } from './helpers';

const VOCAB = 9;
const EPSILON = 1e-2;

/** Tag pairs: one tag per source token (lengths 4, 2, 3 so padding is exercised). */
const TAG_PAIRS = [{ source: [4, 5, 6, 7], target: [5, 6, 4, 8] }, { source: [8, 4], target: [7, 4] }, { source: [6, 6, 5], target: [4, 8, 8] }];

function checkGradients(overrides: Partial<Seq2SeqConfig>, options: { forceStepwise?: boolean; coordinatesPerParam?: number; epsilon?: number } = {}): void {
  const config = tinyConfig(overrides);
  const model = new Seq2SeqModel(config, { sourceVocabSize: VOCAB, targetVocabSize: VOCAB }, 7);
  const sourceToTarget = Int32Array.from({ length: VOCAB }, (_, i) => (i % 2 === 0 ? i : -1));
  const labels = config.shape === 'classify' || config.shape === 'tag';
  const pairs = config.shape === 'tag' ? TAG_PAIRS : config.shape === 'classify' ? tinyPairs(VOCAB).map(p => ({ source: p.source, target: p.target.slice(0, 1) })) : tinyPairs(VOCAB);
  const batch = makeBatch(pairs, { ...(config.copyPrior ? { copyPrior: { sourceToTarget, targetVocabSize: VOCAB } } : {}), ...(labels ? { labels } : {}) });
  const rng = seedrandom('grad');
  try {
    // Non-zero copy-prior parameters, so their gradient paths are exercised away from zero.
    for (const [name, v] of model.params.entries()) {
      if (name.startsWith('copy/')) v.assign(tf.randomUniform(v.shape, -0.5, 0.5, 'float32', 3));
    }
    const loss = () => batchLoss(model, batch, { training: false, teacherForcing: 1, random: () => 0, labelSmoothing: 0.1, forceStepwise: options.forceStepwise }).loss;
    const names = model.params.names();
    const variables = names.map(n => model.params.get(n));
    const { value, grads } = tf.variableGrads(loss, variables);
    value.dispose();
    let checked = 0;
    for (const name of names) {
      const variable = model.params.get(name);
      const gradient = grads[variable.name];
      assert.ok(gradient, `no gradient for ${name}`);
      const analytic = gradient.dataSync();
      const values = variable.dataSync().slice();
      const picks = new Set<number>();
      const per = options.coordinatesPerParam ?? 2;
      while (picks.size < Math.min(per, values.length)) picks.add(Math.floor(rng() * values.length));
      // Embedding tables: also check a row that is looked up twice in the batch (id 4 / 6).
      if (name.endsWith('embedding')) picks.add(4 * variable.shape[1]!).add(6 * variable.shape[1]!);
      // Label heads: also a coordinate of a label the batch holds (column 4 of W, bias 4).
      if (name === 'classify/W' || name === 'tag/W') picks.add(4);
      if (name === 'classify/b' || name === 'tag/b') picks.add(4);
      for (const index of picks) {
        const evaluate = (delta: number) => {
          const shifted = values.slice();
          shifted[index] += delta;
          variable.assign(tf.tensor(shifted, variable.shape));
          return tf.tidy(() => loss().dataSync()[0]);
        };
        const epsilon = options.epsilon ?? EPSILON;
        const numeric = (evaluate(epsilon) - evaluate(-epsilon)) / (2 * epsilon);
        variable.assign(tf.tensor(values, variable.shape));
        const tolerance = 2e-3 + 0.05 * Math.abs(numeric);
        assert.ok(Math.abs(analytic[index] - numeric) <= tolerance,
          `${name}[${index}]: autodiff ${analytic[index]} vs numeric ${numeric}`);
        checked++;
      }
    }
    assert.ok(checked >= names.length);
    Object.values(grads).forEach(g => g.dispose());
  } finally {
    disposeBatch(batch);
    model.dispose();
  }
}

describe('numeric gradient checks', function () {
  before(useTestBackend);

  for (const cell of ['rnn', 'gru', 'lstm', 'indrnn'] as const) {
    it(`${cell} cell, bidirectional encoder, additive attention`, () => checkGradients({ cell }));
  }
  for (const attention of ['none', 'additive', 'dot', 'general'] as const) {
    it(`${attention} attention (unidirectional, dot without projection)`, () => checkGradients({ attention, bidirectional: false }));
  }
  it('dot attention with a projected bidirectional memory', () => checkGradients({ attention: 'dot', bidirectional: true }));
  it('copy prior', () => checkGradients({ copyPrior: true }));
  it('encoder narrower than the decoder (encoderHiddenSize), 2 layers, additive attention', () => checkGradients({ encoderHiddenSize: 3, encoderLayers: 2, residual: 'residual' }));
  it('encoder narrower than the decoder, dot attention (projected memory)', () => checkGradients({ encoderHiddenSize: 3, attention: 'dot' }));
  it('2+2 layers, residual, highway', () => checkGradients({ encoderLayers: 2, decoderLayers: 2, residual: 'residual', highway: true, cell: 'gru' }));
  it('3+2 layers, dense residual, zero bridge', () => checkGradients({ encoderLayers: 3, decoderLayers: 2, residual: 'dense', bridge: 'zeros' }));
  it('step-by-step decoder with input feeding', () => checkGradients({ inputFeeding: true }, { forceStepwise: true }));
  // Sliced encoder (sliced.ts): K^n = 4 slices of one token pad the 2- and 3-token sources,
  // K = 3, n = 1 slices of two tokens leave whole slices of padding. IndRNN's ReLU starts each
  // one-token slice from h = relu(x·W + b), so many pre-activations sit near its kink: a
  // smaller step keeps the central difference on one side of it.
  for (const cell of ['rnn', 'gru', 'lstm', 'indrnn'] as const) {
    const epsilon = cell === 'indrnn' ? 1e-3 : undefined;
    it(`sliced encoder K=2 n=2, ${cell}, bidirectional`, () => checkGradients({ cell, encoderType: 'sliced', sliceCount: 2, sliceLevels: 2 }, { epsilon }));
    it(`sliced encoder K=3 n=1, ${cell}, unidirectional, 2 layers`, () =>
      checkGradients({ cell, encoderType: 'sliced', sliceCount: 3, sliceLevels: 1, bidirectional: false, encoderLayers: 2, residual: 'residual' }, { epsilon }));
  }
  // The shapes' heads (heads.ts): every parameter of the encoder and the head, nothing of a decoder.
  for (const pooling of ['last', 'mean', 'max'] as const) {
    it(`classify head, ${pooling} pooling, bidirectional LSTM`, () => checkGradients({ shape: 'classify', classifyPooling: pooling }, { coordinatesPerParam: 3 }));
  }
  it('classify head, mean pooling, 2-layer GRU with dense residual', () => checkGradients({ shape: 'classify', cell: 'gru', encoderLayers: 2, residual: 'dense' }));
  it('tag head, bidirectional LSTM', () => checkGradients({ shape: 'tag' }, { coordinatesPerParam: 3 }));
  it('classify head on the sliced encoder K=2 n=1 (the top level\'s state)', () => checkGradients({ shape: 'classify', encoderType: 'sliced', sliceCount: 2, sliceLevels: 1, classifyPooling: 'last' }));
  it('generate: prompt encoder into the decoder (initial state and every input)', () => checkGradients({ shape: 'generate' }, { coordinatesPerParam: 3 }));
});

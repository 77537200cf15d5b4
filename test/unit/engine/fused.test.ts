/**
 * The fused recurrence (one op per RNN layer with a hand-written backward pass through time)
 * against autodiff over per-step ops: same loss and same gradient for every parameter, for
 * every cell type, with padded rows (masked steps), both directions, stacked layers.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { Seq2SeqModel } from '../../../src/engine/model/seq2seq';
import { setFusedRecurrence } from '../../../src/engine/model/cells';
import { makeBatch, disposeBatch } from '../../../src/engine/model/batch';
import { batchLoss } from '../../../src/engine/train/step';
import type { Seq2SeqConfig } from '../../../src/shared/config';
import { lossAndGradients as gradientsOf, paddedPairs, tensorCount, tinyConfig, useTestBackend } from './helpers';

const VOCAB = 11;

function lossAndGradients(model: Seq2SeqModel, fused: boolean, batchOptions = {}): { loss: number; grads: Map<string, Float32Array> } {
  const previous = setFusedRecurrence(fused);
  try {
    return gradientsOf(model, paddedPairs(VOCAB), { batch: batchOptions });
  } finally {
    setFusedRecurrence(previous);
  }
}

function compare(overrides: Partial<Seq2SeqConfig>): void {
  const model = new Seq2SeqModel(tinyConfig({ hiddenSize: 6, ...overrides }), { sourceVocabSize: VOCAB, targetVocabSize: VOCAB }, 5);
  try {
    const reference = lossAndGradients(model, false);
    const fused = lossAndGradients(model, true);
    assert.ok(Math.abs(reference.loss - fused.loss) < 1e-5, `loss: autodiff ${reference.loss} vs fused ${fused.loss}`);
    for (const [name, expected] of reference.grads) {
      const actual = fused.grads.get(name)!;
      assert.equal(actual.length, expected.length, name);
      let scale = 0;
      for (const v of expected) scale = Math.max(scale, Math.abs(v));
      for (let i = 0; i < expected.length; i++) {
        assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-5 + 1e-3 * scale,
          `${name}[${i}]: autodiff ${expected[i]} vs fused ${actual[i]}`);
      }
    }
    // Without a gradient tape (evaluation, decoding) the fused path takes its forward-only route.
    const untaped = (fused: boolean) => {
      const previous = setFusedRecurrence(fused);
      const batch = makeBatch(paddedPairs(VOCAB));
      try {
        return tf.tidy(() => batchLoss(model, batch, { training: false, teacherForcing: 1, random: () => 0, labelSmoothing: 0.1 }).loss.dataSync()[0]);
      } finally {
        disposeBatch(batch);
        setFusedRecurrence(previous);
      }
    };
    assert.ok(Math.abs(untaped(true) - reference.loss) < 1e-5, `untaped fused loss ${untaped(true)} vs ${reference.loss}`);
    assert.ok(Math.abs(untaped(false) - reference.loss) < 1e-5);
    // Extra padding changes nothing on the fused path either.
    const padded = lossAndGradients(model, true, { padSourceTo: 9, padTargetTo: 8 });
    assert.ok(Math.abs(padded.loss - fused.loss) < 1e-5, `padded loss ${padded.loss} vs ${fused.loss}`);
  } finally {
    model.dispose();
  }
}

describe('fused recurrence equals autodiff over steps', function () {
  before(useTestBackend);

  for (const cell of ['lstm', 'gru', 'rnn', 'indrnn'] as const) {
    it(`${cell}: bidirectional encoder, additive attention`, () => compare({ cell }));
    it(`${cell}: 2+2 layers, unidirectional, dense residual, zero bridge`, () =>
      compare({ cell, encoderLayers: 2, decoderLayers: 2, bidirectional: false, residual: 'dense', bridge: 'zeros', attention: 'dot' }));
  }
  it('reversed source, no attention', () => compare({ cell: 'lstm', reverseSource: true, attention: 'none' }));
  for (const cell of ['lstm', 'gru', 'rnn', 'indrnn'] as const) {
    it(`${cell}: sliced encoder K=2 n=2, bidirectional`, () => compare({ cell, encoderType: 'sliced', sliceCount: 2, sliceLevels: 2 }));
  }

  it('leaves no tensors behind (training and inference)', () => {
    const model = new Seq2SeqModel(tinyConfig({ cell: 'lstm' }), { sourceVocabSize: VOCAB, targetVocabSize: VOCAB }, 5);
    try {
      lossAndGradients(model, true);
      const before = tensorCount();
      lossAndGradients(model, true);
      const batch = makeBatch(paddedPairs(VOCAB));
      tf.tidy(() => { model.encode(batch.sourceIds, batch.sourceMask, false); });
      disposeBatch(batch);
      assert.equal(tensorCount(), before);
    } finally {
      model.dispose();
    }
  });
});

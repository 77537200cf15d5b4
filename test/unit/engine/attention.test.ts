/**
 * Additive attention through σ (2v·σ(2k + 2q), keys stored ×2) against the tanh form
 * v·tanh(k + q): the scores differ by a per-row constant Σv, so the attention weights, the
 * loss and every gradient are the same — on the parallel (training) path, the step-by-step
 * path, untaped, and in decoding.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { setSigmoidAttention } from '../../../src/engine/model/attention';
import { Seq2SeqModel } from '../../../src/engine/model/seq2seq';
import { sourceTensors } from '../../../src/engine/model/batch';
import { lossAndGradients as gradientsOf, paddedPairs, tinyConfig, useTestBackend } from './helpers';

const VOCAB = 11;

function lossAndGradients(model: Seq2SeqModel, sigmoid: boolean, forceStepwise: boolean): { loss: number; grads: Map<string, Float32Array> } {
  const previous = setSigmoidAttention(sigmoid);
  try {
    return gradientsOf(model, paddedPairs(VOCAB), { forceStepwise });
  } finally {
    setSigmoidAttention(previous);
  }
}

describe('additive attention through sigmoid', function () {
  before(async () => { await useTestBackend(); });

  for (const inputFeeding of [false, true]) {
    it(`gives the loss and gradients of the tanh form${inputFeeding ? ' (input feeding, step by step)' : ''}`, () => {
      const model = new Seq2SeqModel(tinyConfig({ hiddenSize: 6, attention: 'additive', attentionSize: 5, inputFeeding }), { sourceVocabSize: VOCAB, targetVocabSize: VOCAB }, 3);
      try {
        for (const forceStepwise of [false, true]) {
          const reference = lossAndGradients(model, false, forceStepwise);
          const actual = lossAndGradients(model, true, forceStepwise);
          assert.ok(Math.abs(reference.loss - actual.loss) < 1e-5, `loss: tanh ${reference.loss} vs sigmoid ${actual.loss}`);
          for (const [name, expected] of reference.grads) {
            const got = actual.grads.get(name)!;
            let scale = 0;
            for (const v of expected) scale = Math.max(scale, Math.abs(v));
            for (let i = 0; i < expected.length; i++) {
              assert.ok(Math.abs(got[i] - expected[i]) <= 1e-6 + 1e-3 * scale, `${name}[${i}]: tanh ${expected[i]} vs sigmoid ${got[i]}`);
            }
          }
        }
      } finally {
        model.dispose();
      }
    });
  }

  it('gives the same attention weights in a decoding step', () => {
    const model = new Seq2SeqModel(tinyConfig({ hiddenSize: 6, attention: 'additive', attentionSize: 5 }), { sourceVocabSize: VOCAB, targetVocabSize: VOCAB }, 4);
    const { sourceIds, sourceMask } = sourceTensors(paddedPairs(VOCAB).map(p => p.source));
    const run = (sigmoid: boolean) => {
      const previous = setSigmoidAttention(sigmoid);
      try {
        return tf.tidy(() => {
          const encoded = model.encode(sourceIds, sourceMask, false);
          const out = model.decodeStep(encoded, tf.tensor1d(paddedPairs(VOCAB).map(() => 1), 'int32'), model.initialStepState(encoded), false);
          return [out.attention!.dataSync() as Float32Array, out.logits.dataSync() as Float32Array];
        });
      } finally {
        setSigmoidAttention(previous);
      }
    };
    try {
      const [wa, la] = run(false);
      const [wb, lb] = run(true);
      wa.forEach((v, i) => assert.ok(Math.abs(v - wb[i]) < 1e-6, `weight ${i}: ${v} vs ${wb[i]}`));
      la.forEach((v, i) => assert.ok(Math.abs(v - lb[i]) < 1e-5, `logit ${i}: ${v} vs ${lb[i]}`));
    } finally {
      sourceIds.dispose();
      sourceMask.dispose();
      model.dispose();
    }
  });
});

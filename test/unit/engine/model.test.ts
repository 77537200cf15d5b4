import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { Seq2SeqModel } from '../../../src/engine/model/seq2seq';
import { disposeBatch, EOS, makeBatch } from '../../../src/engine/model/batch';
import { batchLoss } from '../../../src/engine/train/step';
import { beamSearch, greedyDecode, scoreOutput, sampleDecode, lengthPenalty } from '../../../src/engine/decode/decode';
import type { Seq2SeqConfig } from '../../../src/shared/config';
import { tensorCount, tinyConfig, tinyPairs, useTestBackend } from './helpers';

const VOCAB = 9;

function lossOf(model: Seq2SeqModel, padSourceTo?: number, padTargetTo?: number, forceStepwise = false): number {
  const batch = makeBatch(tinyPairs(VOCAB), { padSourceTo, padTargetTo });
  try {
    return tf.tidy(() => batchLoss(model, batch, { training: false, teacherForcing: 1, random: () => 0, labelSmoothing: 0, forceStepwise }).loss.dataSync()[0]);
  } finally {
    disposeBatch(batch);
  }
}

function withModel(overrides: Partial<Seq2SeqConfig>, fn: (model: Seq2SeqModel) => void, vocab = VOCAB): void {
  const model = new Seq2SeqModel(tinyConfig(overrides), { sourceVocabSize: vocab, targetVocabSize: vocab }, 11);
  try {
    fn(model);
  } finally {
    model.dispose();
  }
}

describe('model invariants', function () {
  before(useTestBackend);

  const variants: Array<Partial<Seq2SeqConfig>> = [
    { cell: 'lstm', attention: 'additive', bidirectional: true },
    { cell: 'gru', attention: 'general', bidirectional: false, encoderLayers: 2, residual: 'dense' },
    { cell: 'rnn', attention: 'dot', bidirectional: true, decoderLayers: 2, residual: 'residual', highway: true },
    { cell: 'indrnn', attention: 'none', bridge: 'zeros' },
  ];

  it('encoderHiddenSize sizes the encoder alone: its weights, the memory and what reads it', () => {
    // hidden 4, encoder 3 per direction (bidirectional): memory 6 wide; emb 5; LSTM: 4 gates.
    withModel({ encoderHiddenSize: 3, encoderLayers: 2, attention: 'additive', attentionSize: 2 }, model => {
      const shape = (name: string) => model.params.get(name).shape;
      assert.deepEqual(shape('encoder/0/fw/W'), [5, 12]);
      assert.deepEqual(shape('encoder/0/bw/U'), [3, 12]);
      assert.deepEqual(shape('encoder/1/fw/W'), [6, 12]);
      assert.deepEqual(shape('decoder/0/U'), [4, 16]);
      assert.deepEqual(shape('bridge/0/h/W'), [6, 4]);
      assert.deepEqual(shape('attention/keys/W'), [6, 2]);
      assert.ok(Number.isFinite(lossOf(model)));
    });
    withModel({ encoderHiddenSize: 0 }, model => assert.deepEqual(model.params.get('encoder/0/fw/U').shape, [4, 16])); // 0 = hiddenSize
  });

  for (const variant of variants) {
    it(`extra padding changes neither loss nor outputs (${JSON.stringify(variant)})`, () => withModel(variant, model => {
      const plain = lossOf(model);
      const padded = lossOf(model, 9, 7);
      assert.ok(Math.abs(plain - padded) < 1e-5, `loss ${plain} vs padded ${padded}`);
      const sources = tinyPairs(VOCAB).map(p => p.source);
      const a = greedyDecode({ model }, sources, 6);
      // Decoding the shortest source alone (no padding) gives the same result as in the padded batch.
      const alone = greedyDecode({ model }, [sources[1]], 6)[0];
      assert.deepEqual(alone.ids, a[1].ids);
      alone.probabilities.forEach((p, i) => assert.ok(Math.abs(p - a[1].probabilities[i]) < 1e-5));
      // Attention never lands on padding: real positions of source 1 (length 2) sum to 1.
      for (const row of a[1].attention) {
        if (variant.attention === 'none') {
          assert.equal(row.length, 0);
          continue;
        }
        assert.equal(row.length, 4); // padded batch width
        assert.ok(Math.abs(row[0] + row[1] - 1) < 1e-5, `attention row ${row}`);
        assert.ok(row[2] < 1e-6 && row[3] < 1e-6, `attention on padding: ${row}`);
      }
    }));
  }

  it('parallel and step-by-step decoders compute the same loss', () => withModel({ encoderLayers: 2, decoderLayers: 2, residual: 'dense' }, model => {
    const parallel = lossOf(model);
    const stepwise = lossOf(model, undefined, undefined, true);
    assert.ok(Math.abs(parallel - stepwise) < 1e-5, `${parallel} vs ${stepwise}`);
  }));

  it('teacher forcing 0 feeds predictions: loss differs from teacher forcing 1', () => withModel({}, model => {
    const batch = makeBatch(tinyPairs(VOCAB));
    try {
      const forced = tf.tidy(() => batchLoss(model, batch, { training: false, teacherForcing: 1, random: () => 0.5, labelSmoothing: 0 }).loss.dataSync()[0]);
      const free = tf.tidy(() => batchLoss(model, batch, { training: false, teacherForcing: 0, random: () => 0.5, labelSmoothing: 0 }).loss.dataSync()[0]);
      assert.notEqual(forced, free);
    } finally {
      disposeBatch(batch);
    }
  }));

  it('minLength: no </s> before that many tokens, greedy and beam (a model that ends at once otherwise)', () => withModel({}, model => {
    // Bias the output towards </s>: every output would be empty.
    const bias = model.params.get('output/b');
    bias.assign(tf.tidy(() => tf.add(bias, tf.tensor1d(Array.from({ length: bias.shape[0] }, (_, i) => (i === EOS ? 20 : 0))))));
    const sources = tinyPairs(VOCAB).map(p => p.source);
    assert.ok(greedyDecode({ model }, sources, 6).every(h => h.ids.length === 0 && h.finished));
    const forced = greedyDecode({ model }, sources, 6, 4);
    assert.ok(forced.every(h => h.ids.length === 4 && h.finished && !h.ids.includes(EOS)), JSON.stringify(forced.map(h => h.ids)));
    assert.equal(beamSearch({ model }, sources[0], { beamSize: 3, lengthPenalty: 0, maxLength: 6 })[0].ids.length, 0);
    const [beam] = beamSearch({ model }, sources[0], { beamSize: 3, lengthPenalty: 0, maxLength: 6, minLength: 4 });
    assert.equal(beam.ids.length, 4);
  }));

  it('beam width 1 equals greedy', () => withModel({}, model => {
    for (const source of tinyPairs(VOCAB).map(p => p.source)) {
      const greedy = greedyDecode({ model }, [source], 6)[0];
      const [beam] = beamSearch({ model }, source, { beamSize: 1, lengthPenalty: 0, maxLength: 6 });
      assert.deepEqual(beam.ids, greedy.ids);
      assert.ok(Math.abs(beam.logProbability - greedy.logProbability) < 1e-4);
    }
  }));

  it('beam search equals exhaustive search on a tiny vocabulary', () => {
    // Target alphabet: </s>, <unk>, 4, 5 (pad and <s> are never produced); outputs up to 3 tokens.
    const vocab = 6;
    withModel({ hiddenSize: 6 }, model => {
      // Sharpen the output layer so the best sequence is not simply the shortest.
      for (const [name, v] of model.params.entries()) if (name === 'output/W') v.assign(tf.mul(v, 6));
      const source = [4, 5, 4];
      const maxLength = 3;
      const alphabet = [EOS, 3, 4, 5];
      let best = { ids: [] as number[], logProbability: -Infinity };
      const visit = (prefix: number[]) => {
        for (const token of alphabet) {
          if (token === EOS) {
            const lp = scoreOutput({ model }, source, prefix, true);
            if (lp > best.logProbability) best = { ids: prefix, logProbability: lp };
          } else if (prefix.length + 1 === maxLength) {
            const lp = scoreOutput({ model }, source, [...prefix, token], false); // truncated at maxLength
            if (lp > best.logProbability) best = { ids: [...prefix, token], logProbability: lp };
          } else {
            visit([...prefix, token]);
          }
        }
      };
      visit([]);
      const [top] = beamSearch({ model }, source, { beamSize: 64, lengthPenalty: 0, maxLength });
      assert.deepEqual(top.ids, best.ids);
      assert.ok(Math.abs(top.logProbability - best.logProbability) < 1e-4, `${top.logProbability} vs ${best.logProbability}`);
    }, vocab);
  });

  it('beam candidates are sorted by length-penalised score', () => withModel({}, model => {
    const candidates = beamSearch({ model }, [4, 5, 6], { beamSize: 4, lengthPenalty: 0.8, maxLength: 5 });
    assert.ok(candidates.length > 1);
    for (let i = 1; i < candidates.length; i++) assert.ok(candidates[i - 1].score >= candidates[i].score);
    for (const c of candidates) {
      const length = c.ids.length + (c.finished ? 1 : 0);
      assert.ok(Math.abs(c.score - c.logProbability / lengthPenalty(length, 0.8)) < 1e-6);
      assert.equal(c.attention.length, c.probabilities.length);
    }
  }));

  it('sampling with top-k 1 equals greedy; temperature changes nothing then', () => withModel({}, model => {
    const source = [4, 5, 6];
    const greedy = greedyDecode({ model }, [source], 6)[0];
    const sampled = sampleDecode({ model }, source, { temperature: 0.7, topK: 1, maxLength: 6, random: Math.random });
    assert.deepEqual(sampled.ids, greedy.ids);
  }));

  it('decoding and loss leave no tensors behind', () => withModel({ copyPrior: false }, model => {
    lossOf(model);
    greedyDecode({ model }, [[4, 5]], 4);
    beamSearch({ model }, [4, 5], { beamSize: 3, lengthPenalty: 0.6, maxLength: 4 });
    const before = tensorCount();
    for (let i = 0; i < 5; i++) {
      lossOf(model);
      greedyDecode({ model }, [[4, 5], [6]], 4);
      beamSearch({ model }, [4, 5], { beamSize: 3, lengthPenalty: 0.6, maxLength: 4 });
      sampleDecode({ model }, [4], { temperature: 1, topK: 0, maxLength: 4, random: Math.random });
    }
    assert.equal(tensorCount(), before);
  }));
});

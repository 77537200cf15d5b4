/**
 * Data-parallel training: two workers (main thread + one worker thread) give the parameters one
 * worker gives on the same global batches, since the shares' gradients are combined by their
 * target-token counts into the gradient of the whole batch's masked mean loss.
 */
import { strict as assert } from 'assert';
import seedrandom from 'seedrandom';
import { disposeBatch, EncodedPair, makeBatch, targetTokenCount } from '../../../src/engine/model/batch';
import { Seq2SeqModel } from '../../../src/engine/model/seq2seq';
import { Optimizer } from '../../../src/engine/train/optimizer';
import { DataParallel, resolveWorkers, splitPairs } from '../../../src/engine/train/parallel';
import { trainStep } from '../../../src/engine/train/step';
import { tinyConfig, useTestBackend } from './helpers';
import type { Seq2SeqConfig } from '../../../src/shared/config';

function randomBatches(count: number, size: number, vocab: number, seed: string): EncodedPair[][] {
  const rng = seedrandom(seed);
  const ids = (n: number) => Array.from({ length: n }, () => 4 + Math.floor(rng() * (vocab - 4)));
  return Array.from({ length: count }, () => Array.from({ length: size }, () => ({ source: ids(1 + Math.floor(rng() * 7)), target: ids(1 + Math.floor(rng() * 6)) })));
}

function parameters(model: Seq2SeqModel): Map<string, Float32Array> {
  return new Map(model.params.names().map(n => [n, model.params.get(n).dataSync() as Float32Array]));
}

describe('training threads (workers auto)', () => {
  const b1 = { hiddenSize: 256, targetVocabSize: 40 };
  const b2 = { hiddenSize: 512, targetVocabSize: 8000 };
  it('two workers on WASM with two cores, one on tfjs-node or one core; a set value as it is', () => {
    assert.equal(resolveWorkers(0, 'wasm', 2, b1, false), 2);
    assert.equal(resolveWorkers(0, 'wasm', 2, b2, false), 2);
    assert.equal(resolveWorkers(0, 'cpu', 2), 2);
    assert.equal(resolveWorkers(0, 'tensorflow', 8, b1), 1);
    assert.equal(resolveWorkers(0, 'wasm', 1, b1, false), 1);
    assert.equal(resolveWorkers(3, 'wasm', 2, b2, true), 3);
  });
  it('one worker with the native matmul kernel when the products are large (its threads use the cores)', () => {
    assert.equal(resolveWorkers(0, 'wasm', 2, b2, true), 1);
    assert.equal(resolveWorkers(0, 'wasm', 2, { hiddenSize: 128, targetVocabSize: 5000 }, true), 1);
    assert.equal(resolveWorkers(0, 'wasm', 2, b1, true), 2);
    assert.equal(resolveWorkers(0, 'wasm', 2, undefined, true), 2);
  });
});

describe('data-parallel training', function () {
  before(async () => { await useTestBackend(); });

  it('splits a batch into non-empty shares of about equal target tokens', () => {
    const pairs = randomBatches(1, 13, 20, 'split')[0];
    for (const parts of [1, 2, 3]) {
      const shares = splitPairs(pairs, parts);
      assert.equal(shares.length, parts);
      assert.deepEqual(shares.flat(), pairs);
      assert.ok(shares.every(s => s.length > 0));
    }
    const [a, b] = splitPairs(pairs, 2).map(share => targetTokenCount(share));
    assert.ok(Math.abs(a - b) <= 8, `${a} vs ${b}`);
    assert.equal(splitPairs(pairs.slice(0, 1), 2).length, 1);
  });

  const cases: Array<[string, Partial<Seq2SeqConfig>]> = [
    ['lstm, bidirectional, additive attention, adam, clipping', { cell: 'lstm', bidirectional: true, attention: 'additive', optimizer: 'adam', clipNorm: 0.5 }],
    ['gru, 2 layers, dot attention, label smoothing, copy prior', { cell: 'gru', encoderLayers: 2, decoderLayers: 2, attention: 'dot', optimizer: 'sgd', labelSmoothing: 0.1, copyPrior: false }],
  ];
  for (const [name, overrides] of cases) {
    it(`two workers give the parameters of one worker (${name})`, async () => {
      const config = tinyConfig({ embeddingSize: 6, hiddenSize: 8, attentionSize: 5, ...overrides });
      const shape = { sourceVocabSize: 15, targetVocabSize: 15 };
      const single = new Seq2SeqModel(config, shape);
      const initial = parameters(single);
      const double = new Seq2SeqModel(config, shape);
      const singleOptimizer = new Optimizer(config.optimizer, single.params);
      const doubleOptimizer = new Optimizer(config.optimizer, double.params);
      const parallel = await DataParallel.start(double, 2);
      try {
        assert.equal(parallel.size, 2);
        const batches = randomBatches(4, 9, 15, name);
        const learningRate = 0.05;
        for (const [i, pairs] of batches.entries()) {
          const batch = makeBatch(pairs);
          const a = trainStep(single, singleOptimizer, batch, { training: true, teacherForcing: 1, random: Math.random, labelSmoothing: config.labelSmoothing, learningRate, clipNorm: config.clipNorm });
          disposeBatch(batch);
          const b = await parallel.step(double, doubleOptimizer, pairs, {}, { training: true, teacherForcing: 1, labelSmoothing: config.labelSmoothing, learningRate, clipNorm: config.clipNorm, randomSeed: `s${i}` });
          assert.ok(Math.abs(a.loss - b.loss) < 1e-5 * Math.max(1, a.loss), `step ${i} loss ${a.loss} vs ${b.loss}`);
          assert.ok(Math.abs(a.gradientNorm - b.gradientNorm) < 1e-4 * Math.max(1, a.gradientNorm), `step ${i} norm ${a.gradientNorm} vs ${b.gradientNorm}`);
        }
        const p1 = parameters(single);
        const p2 = parameters(double);
        let worst = 0;
        let moved = 0;
        for (const [n, v] of p1) {
          const w = p2.get(n)!;
          const v0 = initial.get(n)!;
          for (let j = 0; j < v.length; j++) {
            worst = Math.max(worst, Math.abs(v[j] - w[j]));
            moved = Math.max(moved, Math.abs(v[j] - v0[j]));
          }
        }
        // Adam divides each gradient element by its own running RMS, so on elements whose
        // gradient is at rounding level the two float orders of summation can differ by a
        // sizeable part of a step; compare against how far the parameters moved.
        assert.ok(moved > 0.01, `parameters moved only ${moved}`);
        assert.ok(worst < (config.optimizer === 'adam' ? 1e-2 : 1e-4) * moved, `largest parameter difference ${worst} (moved ${moved})`);
      } finally {
        await parallel.dispose();
        singleOptimizer.dispose();
        doubleOptimizer.dispose();
        single.dispose();
        double.dispose();
      }
    });
  }

  it('reports a worker failure as an error, not a hang', async () => {
    const config = tinyConfig();
    const model = new Seq2SeqModel(config, { sourceVocabSize: 9, targetVocabSize: 9 });
    const optimizer = new Optimizer('sgd', model.params);
    const parallel = await DataParallel.start(model, 2);
    try {
      const bad = [{ source: [4, 5], target: [5] }, { source: [4, 500], target: [5000] }];
      await assert.rejects(parallel.step(model, optimizer, bad, {}, { training: true, teacherForcing: 1, labelSmoothing: 0, learningRate: 0.1, clipNorm: 0, randomSeed: 'x' }));
    } finally {
      await parallel.dispose();
      optimizer.dispose();
      model.dispose();
    }
  });
});

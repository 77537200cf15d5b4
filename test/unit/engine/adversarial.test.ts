/**
 * Adversarial training on the embeddings (adversarial.ts): the FGM perturbation on a case
 * worked by hand; on a real model, that it points where the loss rises fastest and has the
 * size ε per sentence; that `adversarial` changes the gradients into exactly clean + perturbed;
 * the gradient penalty's finite-difference Hessian-vector product against a numeric gradient
 * of ‖∇ₑL‖²; and that training with FGM still learns.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import { Seq2SeqModel } from '../../../src/engine/model/seq2seq';
import { makeBatch, disposeBatch } from '../../../src/engine/model/batch';
import type { BatchTensors } from '../../../src/engine/model/seq2seq';
import { batchLoss, computeGradients, type ForwardOptions } from '../../../src/engine/train/step';
import { fgmPerturbation, type EmbeddingOffsets } from '../../../src/engine/train/adversarial';
import { trainRun } from '../../../src/engine/train/trainer';
import type { Seq2SeqConfig } from '../../../src/shared/config';
import { paddedPairs, tinyConfig, useTestBackend } from './helpers';

const VOCAB = 11;
const OPTIONS: ForwardOptions = { training: true, teacherForcing: 1, random: () => 0, labelSmoothing: 0 };

function withModel<T>(overrides: Partial<Seq2SeqConfig>, body: (model: Seq2SeqModel, batch: BatchTensors) => T): T {
  const model = new Seq2SeqModel(tinyConfig({ hiddenSize: 6, ...overrides }), { sourceVocabSize: VOCAB, targetVocabSize: VOCAB }, 11);
  const batch = makeBatch(paddedPairs(VOCAB));
  try {
    return body(model, batch);
  } finally {
    disposeBatch(batch);
    model.dispose();
  }
}

const zeroOffsets = (model: Seq2SeqModel, batch: BatchTensors): EmbeddingOffsets => ({
  source: tf.zeros([...batch.sourceIds.shape, model.config.embeddingSize]) as tf.Tensor3D,
  target: tf.zeros([...batch.targetInput.shape, model.config.embeddingSize]) as tf.Tensor3D,
});

const lossAt = (model: Seq2SeqModel, batch: BatchTensors, offsets: EmbeddingOffsets, options = OPTIONS) =>
  tf.tidy(() => batchLoss(model, batch, { ...options, embeddingOffsets: offsets }).loss.dataSync()[0]);

/** g = ∂L/∂offsets at zero offsets, by autodiff. */
function embeddingGradient(model: Seq2SeqModel, batch: BatchTensors, options = OPTIONS): EmbeddingOffsets {
  const zeros = zeroOffsets(model, batch);
  const [source, target] = tf.grads((s: tf.Tensor, t: tf.Tensor) => batchLoss(model, batch, { ...options, embeddingOffsets: { source: s as tf.Tensor3D, target: t as tf.Tensor3D } }).loss)([zeros.source, zeros.target]);
  tf.dispose(zeros);
  return { source: source as tf.Tensor3D, target: target as tf.Tensor3D };
}

/** Per-sentence L2 norms over source and target rows together. */
function sentenceNorms(offsets: EmbeddingOffsets): number[] {
  return Array.from(tf.tidy(() => tf.sqrt(tf.add(tf.sum(tf.square(offsets.source), [1, 2]), tf.sum(tf.square(offsets.target), [1, 2])))).dataSync());
}

function gradientsOf(model: Seq2SeqModel, batch: BatchTensors, options = OPTIONS): Map<string, Float32Array> {
  const { loss, grads } = computeGradients(model, batch, options);
  loss.dispose();
  const out = new Map<string, Float32Array>();
  grads.forEach((g, name) => { out.set(name, g.dataSync() as Float32Array); g.dispose(); });
  return out;
}

function maxDifference(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  let worst = 0;
  for (const [name, values] of a) values.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - b.get(name)![i])); });
  return worst;
}

/** Runs `body` with the model's config temporarily changed (the config object is shared, read per step). */
function withSetting<T>(model: Seq2SeqModel, settings: Partial<Seq2SeqConfig>, body: () => T): T {
  const config = model.config as Seq2SeqConfig;
  const saved = { ...config };
  Object.assign(config, settings);
  try {
    return body();
  } finally {
    Object.assign(config, saved);
  }
}

describe('adversarial training', function () {
  before(useTestBackend);

  it('FGM perturbation by hand: ε·g/‖g‖ per sentence, source and target together', () => {
    tf.tidy(() => {
      // sentence 0: g = (3, 0) on its source token, (0, 4) on its target token → ‖g‖ = 5
      // sentence 1: g = (1, 1) and (1, 1) → ‖g‖ = 2; sentence 2: g = 0 → no perturbation
      const source = tf.tensor3d([[[3, 0]], [[1, 1]], [[0, 0]]]);
      const target = tf.tensor3d([[[0, 4]], [[1, 1]], [[0, 0]]]);
      const r = fgmPerturbation({ source, target }, 0.5);
      const close = (actual: tf.Tensor, expected: number[]) => actual.dataSync().forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `${i}: ${v} vs ${expected[i]}`));
      close(r.source, [0.3, 0, 0.25, 0.25, 0, 0]);
      close(r.target, [0, 0.4, 0.25, 0.25, 0, 0]);
    });
  });

  it('on a model: size ε per sentence, and the steepest direction (first order: L rises by ε·Σ‖g_b‖)', () => {
    withModel({}, (model, batch) => {
      const g = embeddingGradient(model, batch);
      const zeros = zeroOffsets(model, batch);
      const clean = lossAt(model, batch, zeros);
      const gNorms = sentenceNorms(g);
      assert.ok(gNorms.every(n => n > 0), 'every sentence has a gradient');
      // Small ε: the rise matches the first-order prediction.
      const small = 1e-2;
      const rSmall = fgmPerturbation(g, small);
      sentenceNorms(rSmall).forEach(n => assert.ok(Math.abs(n - small) < 1e-6, `‖r_b‖ = ${n}`));
      const predicted = small * gNorms.reduce((a, b) => a + b, 0);
      const rise = lossAt(model, batch, rSmall) - clean;
      assert.ok(Math.abs(rise - predicted) < 0.05 * predicted, `rise ${rise} vs ε·Σ‖g_b‖ = ${predicted}`);
      // Larger ε: FGM beats random directions of the same per-sentence size.
      const epsilon = 0.3;
      const r = fgmPerturbation(g, epsilon);
      const fgmRise = lossAt(model, batch, r) - clean;
      const rng = seedrandom('directions');
      for (let k = 0; k < 5; k++) {
        const random = tf.tidy(() => fgmPerturbation({
          source: tf.mul(tf.randomNormal(g.source.shape, 0, 1, 'float32', Math.floor(rng() * 1e6)), tf.expandDims(batch.sourceMask, 2)) as tf.Tensor3D,
          target: tf.mul(tf.randomNormal(g.target.shape, 0, 1, 'float32', Math.floor(rng() * 1e6)), tf.expandDims(batch.targetMask, 2)) as tf.Tensor3D,
        }, epsilon));
        const randomRise = lossAt(model, batch, random) - clean;
        assert.ok(fgmRise > randomRise, `FGM rise ${fgmRise} vs random direction ${randomRise}`);
        tf.dispose(random);
      }
      tf.dispose([g, zeros, rSmall, r]);
    });
  });

  const cases: Array<[string, Partial<Seq2SeqConfig>, ForwardOptions]> = [
    ['parallel decoder', {}, OPTIONS],
    ['scheduled sampling (step by step) and dropout: both passes draw the same coins and masks', { dropout: 0.2 }, { ...OPTIONS, teacherForcing: 0.5 }],
  ];
  for (const [what, overrides, options] of cases) {
    it(`adversarial=fgm gives ∇L(e) + ∇L(e + r), not ∇L(e) (${what})`, () => {
      withModel({ adversarial: 'fgm', adversarialEpsilon: 0.5, ...overrides }, (model, batch) => {
        // The same dropout masks and teacher-forcing coins for every computation below.
        const fresh = (): ForwardOptions => { model.setDropoutSeed(5); return { ...options, random: seedrandom('coins') }; };
        const adversarial = gradientsOf(model, batch, fresh());
        const [clean, expected] = withSetting(model, { adversarial: 'none' }, () => {
          const g = embeddingGradient(model, batch, fresh());
          const r = fgmPerturbation(g, 0.5);
          const names = model.params.names();
          const perturbedOptions = fresh();
          const perturbed = tf.variableGrads(() => batchLoss(model, batch, { ...perturbedOptions, embeddingOffsets: r }).loss, names.map(n => model.params.get(n)));
          const cleanGrads = gradientsOf(model, batch, fresh());
          const sum = new Map<string, Float32Array>();
          names.forEach(n => {
            const p = perturbed.grads[model.params.get(n).name].dataSync();
            sum.set(n, cleanGrads.get(n)!.map((v, i) => v + p[i]));
          });
          tf.dispose([g.source, g.target, r.source, r.target, perturbed.value, ...Object.values(perturbed.grads)]);
          return [cleanGrads, sum];
        });
        assert.ok(maxDifference(adversarial, expected) < 1e-5, `adversarial vs clean + perturbed: ${maxDifference(adversarial, expected)}`);
        assert.ok(maxDifference(adversarial, clean) > 1e-2, 'the option changed the gradients');
      });
    });
  }

  it('gradient penalty: the finite-difference Hessian-vector product matches a numeric gradient of N·‖∇ₑL‖²', () => {
    withModel({ adversarial: 'penalty', gradientPenaltyWeight: 1, cell: 'gru' }, (model, batch) => {
      const tokens = tf.sum(batch.targetMask).dataSync()[0];
      // Q(θ) = N·‖∇ₑL(θ)‖² by autodiff at each θ (first-order gradients only).
      const penalty = () => {
        const g = withSetting(model, { adversarial: 'none' }, () => embeddingGradient(model, batch));
        const value = tokens * sentenceNorms(g).reduce((a, n) => a + n * n, 0);
        tf.dispose(g);
        return value;
      };
      const withPenalty = gradientsOf(model, batch);
      const clean = withSetting(model, { adversarial: 'none' }, () => gradientsOf(model, batch));
      const rng = seedrandom('penalty');
      let checked = 0;
      let largest = 0;
      for (const name of model.params.names()) {
        const variable = model.params.get(name);
        const values = variable.dataSync().slice();
        for (let pick = 0; pick < 1; pick++) {
          const index = Math.floor(rng() * values.length);
          const at = (delta: number) => {
            const shifted = values.slice();
            shifted[index] += delta;
            variable.assign(tf.tensor(shifted, variable.shape));
            return penalty();
          };
          const step = 1e-2;
          const numeric = (at(step) - at(-step)) / (2 * step);
          variable.assign(tf.tensor(values, variable.shape));
          const ours = withPenalty.get(name)![index] - clean.get(name)![index];
          largest = Math.max(largest, Math.abs(numeric));
          assert.ok(Math.abs(ours - numeric) <= 2e-4 + 0.05 * Math.abs(numeric), `${name}[${index}]: penalty gradient ${ours} vs numeric ${numeric}`);
          checked++;
        }
      }
      assert.ok(checked > 10 && largest > 1e-2, `the penalty's gradient is not negligible (largest ${largest})`);
    });
  });

  it('leaves no tensors behind (fgm and penalty)', () => {
    for (const adversarial of ['fgm', 'penalty'] as const) {
      withModel({ adversarial, dropout: 0.1 }, (model, batch) => {
        gradientsOf(model, batch);
        const before = tf.memory().numTensors;
        gradientsOf(model, batch);
        assert.equal(tf.memory().numTensors, before, adversarial);
      });
    }
  });

  it('training with FGM still learns (tiny reverse task, seconds)', async function () {
    this.timeout(120_000);
    const backend = await useTestBackend();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-fgm-'));
    try {
      const losses: number[] = [];
      const result = await trainRun({
        runDir: path.join(dir, 'run'), data: { task: 'reverse' }, backend,
        config: { taskSize: 400, epochs: 6, hiddenSize: 24, embeddingSize: 16, batchSize: 16, learningRate: 0.01, evalSamples: 30, patience: 0, workers: 1, adversarial: 'fgm', adversarialEpsilon: 0.5 },
        onProgress: event => { if (event.kind === 'step') losses.push(event.loss); },
      });
      process.stderr.write(`      fgm reverse: loss ${losses[0].toFixed(2)} → ${losses[losses.length - 1].toFixed(2)}, token accuracy ${(result.metrics.tokenAccuracy * 100).toFixed(1)} %, ${result.seconds.toFixed(1)} s\n`);
      assert.ok(losses[losses.length - 1] < 0.5 * losses[0], `loss ${losses[0]} → ${losses[losses.length - 1]}`);
      // chance is about 1/26 (letters)
      assert.ok(result.metrics.tokenAccuracy > 0.3, `token accuracy ${result.metrics.tokenAccuracy}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { ParamStore } from '../../../src/engine/model/params';
import { Optimizer } from '../../../src/engine/train/optimizer';
import { annealFactor, budgetUsed, learningRateAt, teacherForcingAt } from '../../../src/engine/train/schedules';
import { DEFAULT_CONFIG } from '../../../src/shared/config';
import { setNativeAdam } from '../../../src/engine/backend/nativeAdam';
import { useTestBackend } from './helpers';

/** Applies `steps` updates with a constant gradient 0.5 to a parameter starting at 1. */
function run(kind: 'adam' | 'sgd' | 'rmsprop', steps: number): number[] {
  const store = new ParamStore(1);
  store.add('p', tf.tensor1d([1]));
  const optimizer = new Optimizer(kind, store);
  const values: number[] = [];
  for (let i = 0; i < steps; i++) {
    const gradient = tf.tensor1d([0.5]);
    optimizer.apply(new Map([['p', gradient]]), 0.1);
    gradient.dispose();
    values.push(store.get('p').dataSync()[0]);
  }
  optimizer.dispose();
  store.dispose();
  return values;
}

describe('optimizers (hand-worked steps)', function () {
  before(useTestBackend);

  it('Adam: bias-corrected steps of exactly lr for a constant gradient', () => {
    // m̂ = 0.5, v̂ = 0.25 at every step ⇒ Δ = lr · 0.5 / 0.5 = 0.1
    const [a, b] = run('adam', 2);
    assert.ok(Math.abs(a - 0.9) < 1e-5, String(a));
    assert.ok(Math.abs(b - 0.8) < 1e-5, String(b));
  });
  it('Adam: the native kernel (where registered) gives the tfjs path\'s parameters and moments, clipping scale included', async function () {
    if (!setNativeAdam(true)) {
      // It is built with the native matmul kernel and needs OpenBLAS (apt-get install libopenblas-dev) at npm install time.
      console.log(`      skipped: native Adam kernel not registered on the ${tf.getBackend()} backend`);
      this.skip();
    }
    const trajectory = (native: boolean) => {
      const was = setNativeAdam(native);
      const store = new ParamStore(1);
      store.add('p', tf.tensor2d([[1, -2, 0.5], [3, 0, -0.25]]));
      const optimizer = new Optimizer('adam', store);
      try {
        for (let i = 0; i < 4; i++) {
          const gradient = tf.tensor2d([[0.5, -1, 2], [-0.1 * i, 3, 0.01]]);
          optimizer.apply(new Map([['p', gradient]]), 0.05, i === 2 ? 0.3 : 1);
          gradient.dispose();
        }
        return [store.get('p'), ...optimizer.stateTensors().map(([, t]) => t)].map(t => Array.from(t.dataSync()));
      } finally {
        optimizer.dispose();
        store.dispose();
        setNativeAdam(was);
      }
    };
    const reference = trajectory(false);
    const native = trajectory(true);
    const profile = await tf.profile(() => { trajectory(true); });
    assert.ok(profile.kernelNames.includes('Seq2SeqNativeAdam') && !profile.kernelNames.includes('Sqrt'), profile.kernelNames.join(', '));
    assert.ok(reference[0].some((x, i) => Math.abs(x - [1, -2, 0.5, 3, 0, -0.25][i]) > 0.05), 'the parameters moved');
    reference.forEach((values, k) => values.forEach((x, i) => assert.ok(Math.abs(native[k][i] - x) < 1e-5 * Math.max(1, Math.abs(x)), `tensor ${k}[${i}]: tfjs ${x} vs native ${native[k][i]}`)));
  });
  it('SGD: p − lr·g', () => {
    const [a, b] = run('sgd', 2);
    assert.ok(Math.abs(a - 0.95) < 1e-6 && Math.abs(b - 0.9) < 1e-6);
  });
  it('RMSProp: ms = 0.1·g², Δ = lr·g/√ms', () => {
    const [a] = run('rmsprop', 1);
    assert.ok(Math.abs(a - (1 - 0.05 / Math.sqrt(0.025))) < 1e-5, String(a));
  });
});

describe('schedules', () => {
  const config = { ...DEFAULT_CONFIG, learningRate: 0.01 };
  it('linear warm-up then constant', () => {
    const c = { ...config, warmupSteps: 4 };
    assert.deepEqual([0, 1, 3, 10].map(s => learningRateAt(c, s, 0)), [0.0025, 0.005, 0.01, 0.01]);
  });
  it('exponential decay per epoch and inverse square root per step', () => {
    assert.ok(Math.abs(learningRateAt({ ...config, lrDecay: 'exponential', lrDecayRate: 0.5 }, 100, 2) - 0.0025) < 1e-12);
    const c = { ...config, lrDecay: 'inverse-sqrt' as const, warmupSteps: 100 };
    assert.ok(Math.abs(learningRateAt(c, 399, 0) - 0.005) < 1e-12); // √(100/400) = 0.5
  });
  it('anneals linearly to 0 over the last share of the budget (time or set epochs, whichever is further)', () => {
    // fraction 0.3: full rate until 70 % of the budget, half at 85 %, 0 at the end.
    assert.deepEqual([0, 0.5, 0.7, 0.85, 1].map(used => Math.round(annealFactor(0.3, used) * 1e9) / 1e9), [1, 1, 1, 0.5, 0]);
    assert.equal(annealFactor(0, 0.99), 1, '0 = off');
    // 600 s limit, 1,000 steps set: 450 s and 300 steps → 0.75 of the budget.
    assert.equal(budgetUsed({ maxSeconds: 600, totalSteps: 1000 }, 450, 300), 0.75);
    assert.equal(budgetUsed({ maxSeconds: 600, totalSteps: 1000 }, 60, 900), 0.9);
    assert.equal(budgetUsed({ maxSeconds: 0, totalSteps: 0 }, 1e6, 1e6), 0, 'no budget: no anneal');
    assert.equal(budgetUsed({ maxSeconds: 10 }, 20, 0), 1);
    const c = { ...config, annealFraction: 0.3 };
    assert.ok(Math.abs(learningRateAt(c, 50, 0, 1, 0.85) - 0.005) < 1e-12, '0.01 × 0.5');
    assert.ok(Math.abs(learningRateAt(c, 50, 0, 0.5, 0.85) - 0.0025) < 1e-12, 'on top of a plateau cut');
    assert.equal(learningRateAt({ ...c, annealFraction: 0 }, 50, 0, 1, 0.85), 0.01);
  });
  it('scheduled sampling decays teacher forcing (Bengio et al. 2015)', () => {
    assert.equal(teacherForcingAt({ ...config, teacherForcing: 0.7 }, 500), 0.7);
    assert.equal(teacherForcingAt({ ...config, scheduledSampling: 'linear', samplingDecay: 100, samplingFloor: 0.2 }, 50), 0.6);
    assert.equal(teacherForcingAt({ ...config, scheduledSampling: 'linear', samplingDecay: 100, samplingFloor: 0.2 }, 500), 0.2);
    assert.ok(Math.abs(teacherForcingAt({ ...config, scheduledSampling: 'exponential', samplingDecay: 0.99 }, 100) - 0.99 ** 100) < 1e-12);
    const k = 10;
    assert.ok(Math.abs(teacherForcingAt({ ...config, scheduledSampling: 'inverse-sigmoid', samplingDecay: k }, 30) - k / (k + Math.exp(3))) < 1e-12);
  });
});

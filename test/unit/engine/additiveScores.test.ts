/**
 * The fused additive-attention scores (model/additiveScores.ts) against autodiff of the plain
 * expression Σₐ v·f(k + q): same scores, same gradients for keys, queries and v, for tanh and σ;
 * and fewer bytes alive for the backward pass.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { additiveScores, ScoreActivation } from '../../../src/engine/model/additiveScores';
import { useTestBackend } from './helpers';

const plain = (k: tf.Tensor3D, q: tf.Tensor3D, v: tf.Tensor2D, f: ScoreActivation) => {
  const sum = tf.add(tf.expandDims(k, 1), tf.expandDims(q, 2)); // [batch, tgtLen, srcLen, att]
  const activated = f === 'sigmoid' ? tf.sigmoid(sum) : tf.tanh(sum);
  return tf.reshape(tf.matMul(tf.reshape(activated, [-1, v.shape[0]]), v), [k.shape[0], q.shape[1], k.shape[1]]) as tf.Tensor3D;
};

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('fused additive attention scores', () => {
  before(useTestBackend);

  for (const f of ['tanh', 'sigmoid'] as const) {
    it(`${f}: scores and gradients equal autodiff of Σ v·${f}(k + q)`, () => {
      tf.tidy(() => {
        const k = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 1) as tf.Tensor3D; // [batch, srcLen, att]
        const q = tf.randomNormal([3, 2, 4], 0, 1, 'float32', 2) as tf.Tensor3D; // [batch, tgtLen, att]
        const v = tf.randomNormal([4, 1], 0, 1, 'float32', 3) as tf.Tensor2D;
        const weight = tf.randomNormal([3, 2, 5], 0, 1, 'float32', 4); // a non-uniform upstream gradient
        const loss = (fn: typeof plain) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(fn(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor2D, f), weight)) as tf.Scalar;
        assert.ok(maxDiff(additiveScores(k, q, v, f), plain(k, q, v, f)) < 1e-5);
        const fused = tf.grads(loss(additiveScores))([k, q, v]);
        const reference = tf.grads(loss(plain))([k, q, v]);
        fused.forEach((g, i) => {
          assert.deepEqual(g.shape, reference[i].shape);
          assert.ok(maxDiff(g, reference[i]) < 1e-5, `gradient ${['keys', 'queries', 'v'][i]}: ${maxDiff(g, reference[i])}`);
          assert.ok(tf.max(tf.abs(reference[i])).dataSync()[0] > 1e-3, 'a gradient that is not all zeros');
        });
      });
    });
  }

  it('keeps less alive for the backward pass than autodiff', () => {
    const k = tf.randomNormal([8, 20, 64]) as tf.Tensor3D;
    const q = tf.randomNormal([8, 12, 64]) as tf.Tensor3D;
    const v = tf.randomNormal([64, 1]) as tf.Tensor2D;
    const peak = (fn: typeof plain) => {
      const before = tf.memory().numBytes;
      let most = 0;
      const vVar = tf.variable(v);
      const { value, grads } = tf.variableGrads(() => {
        const s = tf.sum(fn(k, q, vVar, 'sigmoid')) as tf.Scalar;
        most = tf.memory().numBytes - before; // forward done: what the tape holds
        return s;
      }, [vVar]);
      value.dispose();
      Object.values(grads).forEach(g => g.dispose());
      vVar.dispose();
      return most;
    };
    const fusedBytes = peak(additiveScores);
    const plainBytes = peak(plain);
    const broadcast = 8 * 12 * 20 * 64 * 4;
    assert.ok(fusedBytes < plainBytes - 1.5 * broadcast, `fused ${fusedBytes} B, autodiff ${plainBytes} B, one broadcast ${broadcast} B`);
    tf.dispose([k, q, v]);
  });
});

/**
 * The fused, vocabulary-chunked projection + cross-entropy (train/loss.ts projectedCrossEntropy)
 * against the plain path: logits = x·W + b (+ copy prior), then maskedCrossEntropy. Same loss,
 * same NLL, same gradients for x, W, b and the copy prior's scale and shift — with one chunk
 * and with chunks that do not divide the vocabulary.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { maskedCrossEntropy, OutputLayer, projectedCrossEntropy } from '../../../../src/engine/train/loss';
import { useTestBackend } from '../helpers';

const N = 7;
const HIDDEN = 5;
const VOCAB = 11;

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-5 + 1e-4 * Math.abs(expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function compare(options: { chunk: number; smoothing: number; copy: boolean }): void {
  tf.tidy(() => {
    const x = tf.randomNormal([N, HIDDEN], 0, 1, 'float32', 1) as tf.Tensor2D;
    const w = tf.randomNormal([HIDDEN, VOCAB], 0, 1, 'float32', 2) as tf.Tensor2D;
    const b = tf.randomNormal([VOCAB], 0, 1, 'float32', 3) as tf.Tensor1D;
    const scale = tf.randomNormal([VOCAB], 0, 1, 'float32', 4) as tf.Tensor1D;
    const shift = tf.randomNormal([VOCAB], 0, 1, 'float32', 5) as tf.Tensor1D;
    const presence = tf.cast(tf.greater(tf.randomUniform([N, VOCAB], 0, 1, 'float32', 6), 0.6), 'float32') as tf.Tensor2D;
    const targets = tf.tensor1d([0, 3, 10, 4, 7, 10, 2], 'int32'); // first, last and middle chunks
    const mask = tf.tensor1d([1, 1, 1, 0, 1, 1, 0]);
    const layer = (ww: tf.Tensor2D, bb: tf.Tensor1D, s: tf.Tensor1D, t: tf.Tensor1D): OutputLayer =>
      ({ weight: ww, bias: bb, ...(options.copy ? { copy: { presence, scale: s, shift: t } } : {}) });
    const plain = (xx: tf.Tensor2D, ww: tf.Tensor2D, bb: tf.Tensor1D, s: tf.Tensor1D, t: tf.Tensor1D) => {
      let logits = tf.add(tf.matMul(xx, ww), bb) as tf.Tensor2D;
      if (options.copy) logits = tf.add(logits, tf.add(tf.mul(presence, s), t)) as tf.Tensor2D;
      return maskedCrossEntropy(logits, targets, mask, options.smoothing);
    };
    // The presence is made inside the differentiated function (as batchLoss does): the op must
    // keep it for the backward pass.
    const fused = (xx: tf.Tensor2D, ww: tf.Tensor2D, bb: tf.Tensor1D, s: tf.Tensor1D, t: tf.Tensor1D) =>
      projectedCrossEntropy(xx, { ...layer(ww, bb, s, t), ...(options.copy ? { copy: { presence: tf.mul(presence, 1) as tf.Tensor2D, scale: s, shift: t } } : {}) }, targets, mask, options.smoothing, options.chunk);

    const expected = plain(x, w, b, scale, shift);
    const actual = fused(x, w, b, scale, shift);
    close(actual.loss.dataSync(), expected.loss.dataSync(), 'loss');
    close(actual.negLogLikelihood.dataSync(), expected.negLogLikelihood.dataSync(), 'negLogLikelihood');

    // d(loss + 0.3·NLL): both outputs' gradients flow back.
    const objective = (f: typeof plain) => (...args: tf.Tensor[]) => {
      const r = f(...(args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D]));
      return tf.add(r.loss, tf.mul(r.negLogLikelihood, 0.3)) as tf.Scalar;
    };
    // Without the copy prior, scale and shift are not inputs (tf.grads refuses unreached ones).
    const withCopy = (f: typeof plain) => (options.copy ? f : (xx: tf.Tensor2D, ww: tf.Tensor2D, bb: tf.Tensor1D) => f(xx, ww, bb, scale, shift));
    const inputs = options.copy ? [x, w, b, scale, shift] : [x, w, b];
    const expectedGrads = tf.grads(objective(withCopy(plain) as typeof plain))(inputs);
    const actualGrads = tf.grads(objective(withCopy(fused) as typeof plain))(inputs);
    assert.equal(actualGrads.length, inputs.length);
    ['x', 'W', 'b', 'scale', 'shift'].slice(0, inputs.length).forEach((name, i) => close(actualGrads[i].dataSync(), expectedGrads[i].dataSync(), `d${name}`));
    // Each gradient is a tensor of its own: callers (the data-parallel workers) dispose them one
    // by one, and a bias gradient shared with the shift's was disposed before it was read.
    if (options.copy) {
      assert.notEqual(actualGrads[2], actualGrads[4], 'db and dshift are different tensors');
      actualGrads[2].dispose();
      close(actualGrads[4].dataSync(), expectedGrads[4].dataSync(), 'dshift after db is disposed');
    }
  });
}

describe('fused chunked projection + cross-entropy', function () {
  before(useTestBackend);

  for (const chunk of [VOCAB, 4, 3, 5]) { // 5: a 1-column tail (11 = 5 + 5 + 1)
    for (const smoothing of [0, 0.1]) {
      it(`chunk ${chunk}, label smoothing ${smoothing}: same loss and gradients as log-softmax of the whole logits`, () => compare({ chunk, smoothing, copy: false }));
    }
    it(`chunk ${chunk}, copy prior: same loss and gradients`, () => compare({ chunk, smoothing: 0.1, copy: true }));
  }

  it('leaves no tensors behind', () => {
    const w = tf.variable(tf.ones([3, 5]));
    const x = tf.ones([2, 3]) as tf.Tensor2D;
    const bias = tf.zeros([5]) as tf.Tensor1D;
    const targets = tf.tensor1d([1, 4], 'int32');
    const mask = tf.ones([2]) as tf.Tensor1D;
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => projectedCrossEntropy(x, { weight: w as tf.Tensor2D, bias }, targets, mask, 0.1, 2).loss, [w]);
    value.dispose();
    Object.values(grads).forEach(g => g.dispose());
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([w, x, bias, targets, mask]);
  });
});

/**
 * Additive attention scores s[b,t,j] = Σₐ v[a]·f(k[b,j,a] + q[b,t,a]) as one op with a
 * hand-written gradient (f = tanh, or σ for the form attention.ts uses on WASM).
 *
 * Autodiff kept every intermediate of the [batch, tgtLen, srcLen, att] broadcast alive for the
 * backward pass — the sum, its activation, reshapes and identity copies: measured on the B2
 * benchmark (64 × 20 × 20 × 512) about 700 MB of a 1.7 GB peak. Here only f(k + q) is saved and
 * the backward pass frees each temporary as soon as it is used. Checked against autodiff of the
 * plain expression by the gradient tests (test/unit/engine/additiveScores.test.ts).
 */
import * as tf from '@tensorflow/tfjs-core';

export type ScoreActivation = 'tanh' | 'sigmoid';

/** keys [batch, srcLen, att], queries [batch, tgtLen, att], scoreVector [att, 1] → scores [batch, tgtLen, srcLen]. */
export function additiveScores(keys: tf.Tensor3D, queries: tf.Tensor3D, scoreVector: tf.Tensor2D, activation: ScoreActivation): tf.Tensor3D {
  const [batch, srcLen, att] = keys.shape;
  const tgtLen = queries.shape[1];
  const op = tf.customGrad(((k: tf.Tensor, q: tf.Tensor, v: tf.Tensor, save: tf.GradSaveFunc) => {
    const activated = tf.tidy(() => {
      const sum = tf.add(tf.expandDims(k, 1), tf.expandDims(q, 2)); // [batch, tgtLen, srcLen, att]
      return activation === 'sigmoid' ? tf.sigmoid(sum) : tf.tanh(sum);
    });
    const scores = tf.tidy(() => tf.reshape(tf.matMul(tf.reshape(activated, [-1, att]), v), [batch, tgtLen, srcLen])); // [batch, tgtLen, srcLen]
    save([activated, v]);
    return {
      value: scores,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => {
        const [fa, vs] = saved; // f(k + q) [batch, tgtLen, srcLen, att], v [att, 1]
        const gradScores = dy as tf.Tensor3D; // [batch, tgtLen, srcLen]
        // ∂s/∂(k+q) = v ⊙ f′, f′ = f(1 − f) for σ, 1 − f² for tanh; times the incoming gradient.
        // Each temporary is disposed as soon as it is used: these are the step's largest tensors.
        let slope: tf.Tensor; // [batch, tgtLen, srcLen, att]
        if (activation === 'sigmoid') {
          const oneMinus = tf.sub(1, fa);
          slope = tf.mul(fa, oneMinus);
          oneMinus.dispose();
        } else {
          const square = tf.square(fa);
          slope = tf.sub(1, square);
          square.dispose();
        }
        const weighted = tf.tidy(() => tf.mul(tf.expandDims(gradScores, 3), tf.reshape(vs, [att]))); // [batch, tgtLen, srcLen, att]
        const gradSum = tf.mul(slope, weighted);
        tf.dispose([slope, weighted]);
        const gradKeys = tf.sum(gradSum, 1); // [batch, srcLen, att]
        const gradQueries = tf.sum(gradSum, 2); // [batch, tgtLen, att]
        gradSum.dispose();
        const gradVector = tf.tidy(() => tf.matMul(tf.reshape(fa, [-1, att]), tf.reshape(gradScores, [-1, 1]), true, false)); // [att, 1]
        return [gradKeys, gradQueries, gradVector];
      }),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(keys, queries, scoreVector) as tf.Tensor3D;
}

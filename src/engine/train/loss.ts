/**
 * Masked cross-entropy with label smoothing.
 *
 * Padding positions (mask 0) contribute nothing, so adding padding changes neither the loss
 * nor its gradient. With smoothing ε the target distribution is (1−ε)·onehot + ε/V.
 */
import * as tf from '@tensorflow/tfjs-core';
import { matMulExplicit } from '../backend/wasmMatMulGradient';

export interface LossTensors {
  /** Mean smoothed loss per real target token: what training minimises. */
  loss: tf.Scalar;
  /** Sum of the unsmoothed negative log-likelihood over real tokens (for perplexity). */
  negLogLikelihood: tf.Scalar;
}

/** logits [n, vocab]; targets [n] int32; mask [n] float 1/0. */
export function maskedCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, mask: tf.Tensor1D, labelSmoothing: number): LossTensors {
  const vocab = logits.shape[1];
  const logProbs = tf.logSoftmax(logits); // [n, vocab]
  const tokenNll = tf.neg(tf.sum(tf.mul(tf.oneHot(targets, vocab), logProbs), 1)) as tf.Tensor1D; // [n]
  const uniformNll = labelSmoothing > 0 ? tf.neg(tf.mean(logProbs, 1)) as tf.Tensor1D : undefined; // [n]: cross-entropy against the uniform distribution
  return maskedTokenLosses(tokenNll, uniformNll, mask, labelSmoothing);
}

/** The masked mean smoothed loss and the NLL sum from per-token NLL and uniform cross-entropy. */
function maskedTokenLosses(tokenNll: tf.Tensor1D, uniformNll: tf.Tensor1D | undefined, mask: tf.Tensor1D, labelSmoothing: number): LossTensors {
  let tokenLoss: tf.Tensor1D = tokenNll;
  if (labelSmoothing > 0) tokenLoss = tf.add(tf.mul(tokenNll, 1 - labelSmoothing), tf.mul(uniformNll!, labelSmoothing)) as tf.Tensor1D;
  const tokenCount = tf.maximum(tf.sum(mask), 1);
  return {
    loss: tf.div(tf.sum(tf.mul(tokenLoss, mask)), tokenCount) as tf.Scalar,
    negLogLikelihood: tf.sum(tf.mul(tokenNll, mask)) as tf.Scalar,
  };
}

/** The output layer: logits = x·W + b (+ presence ⊙ scale + shift with the copy prior). */
export interface OutputLayer {
  weight: tf.Tensor2D;
  bias: tf.Tensor1D;
  copy?: { presence: tf.Tensor2D; scale: tf.Tensor1D; shift: tf.Tensor1D };
}

/** Vocabulary columns per chunk of the fused projection + loss. */
export const PROJECTION_CHUNK = 2048;

/**
 * Per token [n, 2]: the negative log-likelihood of the target and the cross-entropy against
 * the uniform distribution (−mean log p), from attentional vectors x [n, h] through the output
 * layer — without ever holding more than one [n, vocab] tensor (the logits, saved for the
 * backward pass): the log-softmax runs over vocabulary chunks of `chunk` columns (a
 * log-sum-exp per chunk, then over chunks), and the backward pass forms
 * ∂loss/∂logits = (a + u)·softmax − a·onehot − u/V one chunk at a time and multiplies it
 * straight into dx, dW, db (a, u: the incoming gradients of the two columns). Same values as
 * log-softmax + one-hot on the full logits; the gradient tests check it against both.
 */
export function projectedTokenLosses(x: tf.Tensor2D, layer: OutputLayer, targets: tf.Tensor1D, chunk = PROJECTION_CHUNK): tf.Tensor2D {
  const [n, hidden] = x.shape;
  const vocab = layer.weight.shape[1];
  const starts: number[] = [];
  for (let v = 0; v < vocab; v += chunk) starts.push(v);
  if (starts.length > 1 && vocab - starts[starts.length - 1] < 2) starts.pop(); // oneHot needs depth ≥ 2: a 1-column tail joins the chunk before
  const width = (v: number) => (v === starts[starts.length - 1] ? vocab - v : Math.min(chunk, vocab - v));
  const columns = (t: tf.Tensor, v: number) => (t.rank === 1 ? tf.slice(t, [v], [width(v)]) : tf.slice(t, [0, v], [t.shape[0], width(v)]));
  // Targets relative to a chunk: out of range (other chunks) gives an all-zero one-hot row.
  const localOneHot = (v: number) => tf.oneHot(v === 0 ? targets : tf.sub(targets, tf.scalar(v, 'int32')) as tf.Tensor1D, width(v));
  const copy = layer.copy;
  const inputs: tf.Tensor[] = [x, layer.weight, layer.bias];
  if (copy) inputs.push(copy.scale, copy.shift);

  const op = tf.customGrad(((...args: unknown[]) => {
    const [xx, w, b, scale, shift] = args as tf.Tensor[]; // scale, shift: copy prior only
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const chunkLogits: tf.Tensor2D[] = [];
    const chunkLse: tf.Tensor1D[] = [];
    let picked: tf.Tensor | undefined; // Σ_j onehot ⊙ logits: the target's logit
    let total: tf.Tensor | undefined; // Σ_j logits
    for (const v of starts) {
      let logits = tf.add(tf.matMul(xx, columns(w, v) as tf.Tensor2D), columns(b, v)) as tf.Tensor2D;
      if (copy) logits = tf.add(logits, tf.add(tf.mul(columns(copy.presence, v), columns(scale, v)), columns(shift, v))) as tf.Tensor2D;
      chunkLogits.push(logits);
      chunkLse.push(tf.logSumExp(logits, 1) as tf.Tensor1D);
      const p = tf.sum(tf.mul(localOneHot(v), logits), 1);
      const s = tf.sum(logits, 1);
      picked = picked ? tf.add(picked, p) : p;
      total = total ? tf.add(total, s) : s;
    }
    const lse = (chunkLse.length === 1 ? chunkLse[0] : tf.logSumExp(tf.stack(chunkLse, 1), 1)) as tf.Tensor1D; // [n]
    const nll = tf.sub(lse, picked!);
    const uniform = tf.sub(lse, tf.div(total!, vocab));
    // The chunks as they are (no [n, vocab] concatenation); the presence too: a tensor only this
    // closure refers to would be disposed with the forward pass's intermediates.
    save([xx, w, lse, copy ? copy.presence : lse, ...chunkLogits]);
    return {
      value: tf.stack([nll, uniform], 1) as tf.Tensor2D,
      // In a tidy, each chunk in its own: tfjs frees a gradient's temporaries only when the whole
      // backward pass ends, and these ([n, chunk] each) are the step's largest.
      gradFunc: (dy: tf.Tensor, savedTensors: tf.Tensor[]) => tf.tidy(() => {
        const [sx, sw, sLse, presence, ...savedLogits] = savedTensors as tf.Tensor2D[];
        const [a, u] = tf.split(dy, 2, 1) as tf.Tensor2D[]; // [n, 1] each
        const au = tf.add(a, u);
        const uOverV = tf.div(u, vocab);
        const lseColumn = tf.reshape(sLse, [n, 1]);
        let dx: tf.Tensor | undefined;
        const dw: tf.Tensor[] = [];
        const db: tf.Tensor[] = [];
        const ds: tf.Tensor[] = [];
        for (const [k, v] of starts.entries()) {
          const chunk = tf.tidy(() => {
            const p = tf.exp(tf.sub(savedLogits[k], lseColumn)); // softmax columns of this chunk
            const dl = tf.sub(tf.sub(tf.mul(au, p), tf.mul(a, localOneHot(v))), uOverV) as tf.Tensor2D;
            return {
              dx: matMulExplicit(dl, columns(sw, v), false, true), // [n, in]
              dw: matMulExplicit(sx, dl, true, false), // [in, chunk]
              db: tf.sum(dl, 0),
              ...(copy ? { ds: tf.sum(tf.mul(columns(presence, v), dl), 0) } : {}),
            } as { dx: tf.Tensor; dw: tf.Tensor; db: tf.Tensor; ds?: tf.Tensor };
          });
          if (dx) {
            const sum = tf.add(dx, chunk.dx);
            tf.dispose([dx, chunk.dx]);
            dx = sum;
          } else dx = chunk.dx;
          dw.push(chunk.dw);
          db.push(chunk.db);
          if (chunk.ds) ds.push(chunk.ds);
        }
        const join = (parts: tf.Tensor[], axis: number) => (parts.length === 1 ? parts[0] : tf.concat(parts, axis));
        const dbias = join(db, 0);
        const grads = [dx!, join(dw, 1), dbias];
        // The shift's gradient equals the bias's; a tensor of its own, since callers dispose
        // each gradient (the same tensor twice would be disposed under the other's feet).
        if (copy) grads.push(join(ds, 0), tf.clone(dbias));
        return grads;
      }),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const out = op(...inputs) as tf.Tensor2D;
  if (out.shape[0] !== n || hidden !== layer.weight.shape[0]) throw new Error('projectedTokenLosses: shape mismatch');
  return out;
}

/** maskedCrossEntropy of x·W + b (+ copy prior) through projectedTokenLosses. */
export function projectedCrossEntropy(x: tf.Tensor2D, layer: OutputLayer, targets: tf.Tensor1D, mask: tf.Tensor1D, labelSmoothing: number, chunk = PROJECTION_CHUNK): LossTensors {
  const [tokenNll, uniformNll] = tf.unstack(projectedTokenLosses(x, layer, targets, chunk), 1) as tf.Tensor1D[];
  return maskedTokenLosses(tokenNll, uniformNll, mask, labelSmoothing);
}

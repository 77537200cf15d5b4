/**
 * The heads of the other RNN shapes (seed 002; shapes.ts), on the encoder of seq2seq.ts:
 *
 * - classify (many to one): the encoder outputs pooled into one vector per source — the last
 *   state (both directions' finals when bidirectional), or the mean or max over the real
 *   positions — then logits = W·v + b over the labels (the target vocabulary).
 * - tag (aligned many to many): logits = W·h_t + b at every encoder output h_t.
 * - generate (one to many): no encoder; the prompt's embeddings averaged over its real tokens,
 *   p = tanh(W·mean + b), start every decoder layer (h = c = p) and join every decoder input.
 *
 * Softmax cross-entropy over these logits is the loss (train/step.ts); the gradient tests
 * check the heads' gradients against finite differences.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PoolingType } from '../../shared/config';
import { dense } from './cells';
import type { ParamStore } from './params';

/** A dense layer from the encoder to the labels (classify) or tags (tag). */
export class LabelHead {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(params: ParamStore, name: 'classify' | 'tag', inputSize: number, labels: number) {
    this.weight = params.matrix(`${name}/W`, inputSize, labels);
    this.bias = params.vector(`${name}/b`, labels);
  }

  /** logits [n, labels] from vectors [n, inputSize]. */
  logits(vectors: tf.Tensor2D): tf.Tensor2D {
    return dense(vectors, this.weight as tf.Tensor2D, this.bias as tf.Tensor1D) as tf.Tensor2D;
  }
}

/**
 * One vector per source from the encoder: `last` its final state [batch, width]; `mean` /
 * `max` over the outputs at real positions (padding never counts).
 */
export function pool(memory: tf.Tensor3D, mask: tf.Tensor2D, last: tf.Tensor2D | undefined, pooling: PoolingType): tf.Tensor2D {
  if (pooling === 'last') {
    if (!last) throw new Error('last-state pooling needs the final encoder state');
    return last;
  }
  const weights = tf.expandDims(mask, 2); // [batch, srcLen, 1]
  if (pooling === 'mean') {
    const sum = tf.sum(tf.mul(memory, weights), 1); // [batch, width]
    return tf.div(sum, tf.maximum(tf.sum(weights, 1), 1)) as tf.Tensor2D; // ÷ real tokens [batch, 1]
  }
  // max: padded positions pushed far below any real output before the max.
  return tf.max(tf.add(memory, tf.mul(tf.sub(weights, 1), 1e9)), 1) as tf.Tensor2D; // [batch, width]
}

/** generate: the prompt vector p = tanh(W·mean(embeddings of the real prompt tokens) + b). */
export class PromptEncoder {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(params: ParamStore, embeddingSize: number, hiddenSize: number) {
    this.weight = params.matrix('prompt/W', embeddingSize, hiddenSize);
    this.bias = params.vector('prompt/b', hiddenSize);
  }

  /** p [batch, hidden] from the prompt's embeddings [batch, len, emb] and mask [batch, len]. */
  encode(embedded: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    const mean = pool(embedded, mask, undefined, 'mean'); // [batch, emb]
    return tf.tanh(dense(mean, this.weight as tf.Tensor2D, this.bias as tf.Tensor1D)) as tf.Tensor2D; // [batch, hidden]
  }
}

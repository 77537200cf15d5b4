/**
 * Attention over the encoder states, after the decoder's top layer: additive (Bahdanau et al.
 * 2015) or dot / general (Luong et al. 2015), the source padding masked, then the attentional
 * vector h̃ = tanh(W_c·[context; h] + b) (Luong). Its parameters keep their checkpoint names
 * (`attention/…`) and are created in the order they always were, so a seed gives the same model.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { AttentionType } from '../../shared/config';
import { matMulExplicit } from '../backend/wasmMatMulGradient';
import { additiveScores } from './additiveScores';
import { dense } from './cells';
import type { ParamStore } from './params';

const NEG_INF = -1e9;

/**
 * Additive attention through σ instead of tanh (same attention weights, see `attend`). Not a
 * configuration option: the tests switch it off to check both give the same loss and gradients.
 */
let sigmoidAttention = true;

export function setSigmoidAttention(enabled: boolean): boolean {
  const previous = sigmoidAttention;
  sigmoidAttention = enabled;
  return previous;
}

/** What attention reads of the encoder's output. */
export interface AttentionMemory {
  /** [batch, srcLen, memorySize] */
  memory: tf.Tensor3D;
  /** [batch, srcLen, keySize] precomputed attention keys (additive, or projected dot) */
  keys?: tf.Tensor3D;
  /** [batch, srcLen] */
  sourceMask: tf.Tensor2D;
}

export class AttentionLayer {
  private readonly weights: Record<string, tf.Variable> = {};

  constructor(p: ParamStore, private readonly type: Exclude<AttentionType, 'none'>, encoderWidth: number, hidden: number, attentionSize: number) {
    const a = this.weights;
    if (type === 'additive') {
      a.keyWeight = p.matrix('attention/keys/W', encoderWidth, attentionSize);
      a.queryWeight = p.matrix('attention/query/W', hidden, attentionSize);
      a.queryBias = p.vector('attention/query/b', attentionSize);
      a.scoreVector = p.matrix('attention/v', attentionSize, 1);
    } else if (type === 'general') {
      a.generalWeight = p.matrix('attention/general/W', hidden, encoderWidth);
    } else if (encoderWidth !== hidden) {
      // Luong's dot score needs equal sizes; a bidirectional encoder is twice as wide, so its
      // states are projected once per source (not per step) to the decoder's size.
      a.keyWeight = p.matrix('attention/keys/W', encoderWidth, hidden);
    }
    a.combineWeight = p.matrix('attention/combine/W', encoderWidth + hidden, hidden);
    a.combineBias = p.vector('attention/combine/b', hidden);
  }

  /** The keys [batch, srcLen, key] of a source, computed once per source; undefined when the scores read the memory itself. */
  keys(memory: tf.Tensor3D): tf.Tensor3D | undefined {
    if (!this.weights.keyWeight) return undefined;
    const keys = dense(memory, this.weights.keyWeight as tf.Tensor2D) as tf.Tensor3D; // [batch, srcLen, key]
    return this.type === 'additive' && sigmoidAttention ? tf.mul(keys, 2) as tf.Tensor3D : keys; // see attend()
  }

  /** Attention scores [batch, tgtLen, srcLen] for queries [batch, tgtLen, hidden]; masked, softmaxed. */
  attend(encoded: AttentionMemory, queries: tf.Tensor3D): { context: tf.Tensor3D; weights: tf.Tensor3D } {
    const a = this.weights;
    let scores: tf.Tensor3D;
    switch (this.type) {
      case 'additive': {
        const q = dense(queries, a.queryWeight as tf.Tensor2D, a.queryBias as tf.Tensor1D); // [batch, tgtLen, att]
        if (sigmoidAttention) {
          // v·tanh(k + q) = 2v·σ(2k + 2q) − Σv: the same scores up to a per-row constant, which
          // the softmax ignores; σ costs a third of tanh per element on WASM (the [batch,
          // tgtLen, srcLen, att] tensor is the largest of the step). The keys are stored ×2.
          scores = additiveScores(encoded.keys!, tf.mul(q, 2) as tf.Tensor3D, tf.mul(a.scoreVector as tf.Tensor2D, 2) as tf.Tensor2D, 'sigmoid');
        } else {
          scores = additiveScores(encoded.keys!, q as tf.Tensor3D, a.scoreVector as tf.Tensor2D, 'tanh');
        }
        break;
      }
      case 'general': {
        const q = dense(queries, a.generalWeight as tf.Tensor2D) as tf.Tensor3D; // [batch, tgtLen, memory]
        scores = matMulExplicit(q, encoded.memory, false, true) as tf.Tensor3D; // [batch, tgtLen, srcLen]
        break;
      }
      default: {
        const keys = encoded.keys ?? encoded.memory; // [batch, srcLen, hidden]
        scores = matMulExplicit(queries, keys, false, true) as tf.Tensor3D; // [batch, tgtLen, srcLen]
      }
    }
    const padding = tf.mul(tf.sub(1, tf.expandDims(encoded.sourceMask, 1)), NEG_INF); // [batch, 1, srcLen]
    const weights = tf.softmax(tf.add(scores, padding)) as tf.Tensor3D; // [batch, tgtLen, srcLen]
    const context = tf.matMul(weights, encoded.memory) as tf.Tensor3D; // [batch, tgtLen, memory]
    return { context, weights };
  }

  /** h̃ = tanh(W_c·[context; h] + b) for the top decoder states [batch, tgtLen, hidden], with the attention weights. */
  attentional(encoded: AttentionMemory, top: tf.Tensor3D): { vector: tf.Tensor3D; weights: tf.Tensor3D } {
    const { context, weights } = this.attend(encoded, top);
    const vector = tf.tanh(dense(tf.concat([context, top], 2), this.weights.combineWeight as tf.Tensor2D, this.weights.combineBias as tf.Tensor1D)) as tf.Tensor3D;
    return { vector, weights };
  }
}

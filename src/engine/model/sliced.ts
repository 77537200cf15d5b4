/**
 * The sliced encoder: Sliced Recurrent Neural Networks (Yu & Liu, COLING 2018; seed 002).
 *
 * SRNN(K, n) cuts a source of T tokens (padded to a multiple of K^n) into K^n slices of
 * ⌈T/K^n⌉ tokens. Level 0 — the encoder's ordinary (stacked, optionally bidirectional) layers —
 * runs over every slice of every sentence at once, as one batch of batch·K^n rows: that is
 * where the speed comes from, ⌈T/K^n⌉ sequential steps instead of T. Each level i = 1…n above
 * runs an RNN of its own over each group of K consecutive last states of the level below
 * (K steps, batch·K^(n−i) rows), so information still flows across the whole source; the top
 * level's final state starts the decoder. Attention reads level 0's outputs, so the decoder
 * still attends to every source token.
 *
 * Padding: a slice that is padding only ends in the initial state, and the levels above skip
 * it with the same masked update the recurrence uses for padded tokens (sources are right
 * padded, so a sentence's real slices come first). Every level goes through
 * `RecurrentLayer.run`, i.e. the fused recurrence with its hand-written backward pass. Tokens
 * move into and out of the slices by row gathers whose gradient is a scatter-add (the
 * embedding lookup's, which every backend has).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Seq2SeqConfig } from '../../shared/config';
import { CellState, RecurrentLayer } from './cells';
import { embeddingLookup } from './embedding';
import { paddingStepMasks } from './masks';
import type { ParamStore } from './params';

/** The lowest level's batch, and where each source token's output lies in it. */
export interface SlicedBatch {
  /** [batch·K^n, sliceLength, emb] sentence-major: sentence b's slices are rows b·K^n … b·K^n + K^n − 1, in source order */
  x: tf.Tensor3D;
  /** [batch·K^n, sliceLength] 1/0 */
  mask: tf.Tensor2D;
  /** [batch·srcLen] int32: the row of the flattened lowest-level outputs holding each source position (padding: the extra zero row) */
  outputIndex: tf.Tensor1D;
}

/** `table` [n, width] with one zero row appended: the row padding points to. */
const withZeroRow = (table: tf.Tensor2D): tf.Tensor2D => tf.concat([table, tf.zeros([1, table.shape[1]])], 0) as tf.Tensor2D;

/**
 * Which lowest-level slices hold at least one real token: [rows] 1/0 per (sentence, slice),
 * rows sentence-major. `mask`: [batch·slices, sliceLength].
 */
function realSlices(mask: tf.Tensor2D): Float32Array {
  const [rows, length] = mask.shape;
  const values = mask.dataSync();
  const real = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < length && real[r] === 0; t++) if (values[r * length + t] !== 0) real[r] = 1;
  }
  return real;
}

/** The levels above the lowest: per level a forward RNN and, when bidirectional, a backward one. */
export class SlicedEncoder {
  /** Lowest-level slices per sentence: K^n. */
  readonly slices: number;
  private readonly levels: Array<{ forward: RecurrentLayer; backward?: RecurrentLayer }> = [];

  constructor(params: ParamStore, readonly config: Seq2SeqConfig, readonly width: number) {
    this.slices = config.sliceCount ** config.sliceLevels;
    for (let level = 1; level <= config.sliceLevels; level++) {
      this.levels.push({
        forward: new RecurrentLayer(params, `encoder/level${level}/fw`, config.cell, width, config.encoderHiddenSize || config.hiddenSize),
        backward: config.bidirectional ? new RecurrentLayer(params, `encoder/level${level}/bw`, config.cell, width, config.encoderHiddenSize || config.hiddenSize) : undefined,
      });
    }
  }

  /**
   * Embedded source [batch, T, emb] and its mask [batch, T] → the lowest level's batch. A
   * sentence of T_b real tokens is cut into K^n slices of ⌈T_b/K^n⌉ tokens (its end padded):
   * the slices depend on the sentence alone, not on how far its batch is padded, so a sentence
   * encodes the same in any batch and alone.
   */
  slice(x: tf.Tensor3D, mask: tf.Tensor2D): SlicedBatch {
    const [batch, length, embedding] = x.shape;
    const S = this.slices;
    const values = mask.dataSync(); // an input tensor: reading it stalls nothing
    const lengths = Array.from({ length: batch }, (_, b) => {
      let n = 0;
      for (let t = 0; t < length; t++) n += values[b * length + t] !== 0 ? 1 : 0;
      return n;
    });
    const sliceLengths = lengths.map(n => Math.max(1, Math.ceil(n / S)));
    const sliceLength = Math.max(...sliceLengths);
    const rows = batch * S * sliceLength;
    const gatherIndex = new Int32Array(rows).fill(batch * length); // padding reads the zero row
    const sliceMask = new Float32Array(rows);
    const outputIndex = new Int32Array(batch * length).fill(rows); // padding positions read the zero row
    for (let b = 0; b < batch; b++) {
      const own = sliceLengths[b];
      for (let t = 0; t < lengths[b]; t++) {
        const row = (b * S + Math.floor(t / own)) * sliceLength + (t % own);
        gatherIndex[row] = b * length + t;
        sliceMask[row] = 1;
        outputIndex[b * length + t] = row;
      }
    }
    const flat = withZeroRow(tf.reshape(x, [batch * length, embedding]) as tf.Tensor2D); // [batch·T + 1, emb]
    return {
      x: tf.reshape(embeddingLookup(flat, tf.tensor1d(gatherIndex, 'int32')), [batch * S, sliceLength, embedding]) as tf.Tensor3D,
      mask: tf.tensor2d(sliceMask, [batch * S, sliceLength]),
      outputIndex: tf.tensor1d(outputIndex, 'int32'),
    };
  }

  /** The lowest level's outputs [batch·K^n, sliceLength, width] back in source order: [batch, T, width] (the attention memory). */
  unslice(outputs: tf.Tensor3D, sliced: SlicedBatch, batch: number, sourceLength: number): tf.Tensor3D {
    const width = outputs.shape[2];
    const flat = withZeroRow(tf.reshape(outputs, [-1, width]) as tf.Tensor2D);
    return tf.reshape(embeddingLookup(flat, sliced.outputIndex), [batch, sourceLength, width]) as tf.Tensor3D;
  }

  /**
   * Runs levels 1…n over the lowest level's last states. `lastStates`: [batch·K^n, width] (the
   * top stacked layer's final h per slice, both directions concatenated); `sliceMask`: the
   * lowest level's mask. Returns the top level's final state [batch, width] (and c for LSTM).
   */
  summarize(lastStates: tf.Tensor2D, sliceMask: tf.Tensor2D): CellState {
    const K = this.config.sliceCount;
    let real = realSlices(sliceMask); // [rows] of the level below
    let states = lastStates;
    let top: CellState | undefined;
    for (const { forward, backward } of this.levels) {
      const rows = states.shape[0] / K;
      const x = tf.reshape(states, [rows, K, this.width]) as tf.Tensor3D; // [rows, K, width]
      const levelMask = tf.tensor2d(real, [rows, K]);
      const stepMasks = paddingStepMasks(levelMask);
      const fw = forward.run(x, forward.zeroState(rows), stepMasks, false).final;
      const bw = backward?.run(x, backward.zeroState(rows), stepMasks, true).final;
      top = bw ? { h: tf.concat([fw.h, bw.h], 1), c: fw.c && bw.c ? tf.concat([fw.c, bw.c], 1) : undefined } : fw;
      states = top.h; // [rows, width]
      const next = new Float32Array(rows);
      for (let r = 0; r < rows; r++) for (let k = 0; k < K && next[r] === 0; k++) next[r] = real[r * K + k];
      real = next;
    }
    return top!;
  }
}

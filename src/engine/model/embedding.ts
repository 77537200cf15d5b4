/**
 * Embedding lookup with a gradient that works on every backend.
 *
 * tf.gather's gradient uses the UnsortedSegmentSum kernel, which the WASM backend does not
 * register. The gradient of a lookup is a scatter-add of the output gradient rows into the
 * table's shape; ScatterNd sums duplicate indices and exists on cpu, wasm and tensorflow.
 * Cost is O(lookups · embedding), independent of the vocabulary (unlike a one-hot matmul).
 */
import * as tf from '@tensorflow/tfjs-core';

/** table: [vocab, embedding]; ids: int32 of any shape → [...ids.shape, embedding]. */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const embeddingSize = table.shape[1];
  const flatIds = tf.reshape(ids, [-1]) as tf.Tensor1D; // [n]
  const lookup = tf.customGrad(((tableInput: tf.Tensor, save: tf.GradSaveFunc) => {
    save([flatIds]);
    const rows = tf.gather(tableInput as tf.Tensor2D, flatIds); // [n, embedding]
    return {
      value: rows,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const indices = tf.expandDims(saved[0], 1); // [n, 1]
        return tf.scatterND(indices, dy, table.shape); // [vocab, embedding], duplicates summed
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const rows = lookup(table) as tf.Tensor2D;
  return ids.rank === 1 ? rows : tf.reshape(rows, [...ids.shape, embeddingSize]);
}

/** Label metrics of classify and tag (macro-F1, confusion matrix), worked by hand. */
import { strict as assert } from 'assert';
import { confusionMatrix, macroF1 } from '../../../../src/shared/scoring';

describe('label metrics', () => {
  it('macro-F1 averages each reference label\'s F1 with equal weight', () => {
    // refs a a a b; preds a a b b: a: TP 2, FP 0, FN 1 → F1 4/5; b: TP 1, FP 1, FN 0 → 2/3.
    assert.ok(Math.abs(macroF1(['a', 'a', 'b', 'b'], ['a', 'a', 'a', 'b']) - (0.8 + 2 / 3) / 2) < 1e-12);
    // A rare class missed entirely weighs as much as a frequent one (accuracy would be 0.75).
    assert.ok(Math.abs(macroF1(['a', 'a', 'a', 'a'], ['a', 'a', 'a', 'b']) - (6 / 7 + 0) / 2) < 1e-12);
    assert.equal(macroF1(['x', 'y'], ['x', 'y']), 1);
    // A label only predicted is not averaged in, but costs the reference label its recall.
    assert.ok(Math.abs(macroF1(['z', 'y'], ['x', 'y']) - 0.5) < 1e-12);
    assert.equal(macroF1([], []), 0);
    assert.throws(() => macroF1(['a'], []), /1 predictions but 0 references/);
  });

  it('confusion matrix: rows reference, columns predicted, labels by reference count', () => {
    const m = confusionMatrix(['a', 'b', 'b', 'c', 'a'], ['b', 'b', 'b', 'a', 'a']);
    assert.deepEqual(m.labels, ['b', 'a', 'c']);
    assert.deepEqual(m.counts, [
      [2, 1, 0], // reference b: predicted b twice, a once
      [0, 1, 1], // reference a: a once, c once
      [0, 0, 0], // c is only predicted
    ]);
  });

  it('orders labels that are all numbers numerically, so near-misses sit beside the diagonal', () => {
    // By count the order would be 2, 10, 1, 3 (and "10" < "2" as text).
    const m = confusionMatrix(['2', '2', '10', '1', '3', '2'], ['2', '2', '10', '10', '1', '3']);
    assert.deepEqual(m.labels, ['1', '2', '3', '10']);
    assert.deepEqual(m.counts, [[0, 0, 1, 0], [0, 2, 0, 0], [0, 1, 0, 0], [1, 0, 0, 1]]);
    // One label that is not a number keeps the count order.
    assert.deepEqual(confusionMatrix(['2', 'x', '1'], ['2', '2', '1']).labels, ['2', '1', 'x']);
    // Beyond maxLabels the kept labels are in numeric order and (other) stays last.
    // (3 is the most frequent; 1 and 2 tie, 1 wins by name; 2 and the predicted-only 4 are merged.)
    assert.deepEqual(confusionMatrix(['3', '1', '4', '2'], ['3', '3', '2', '1'], 3).labels, ['1', '3', '(other)']);
  });

  it('merges the rarest labels into (other) beyond maxLabels', () => {
    const m = confusionMatrix(['a', 'b', 'c', 'd'], ['a', 'a', 'b', 'c'], 3);
    assert.deepEqual(m.labels, ['a', 'b', '(other)']);
    assert.deepEqual(m.counts, [[1, 1, 0], [0, 0, 1], [0, 0, 1]]);
  });
});

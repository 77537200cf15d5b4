/** The confusion-matrix view's pure model: validation, per-class scores worked by hand, shading, cell examples. */
import { strict as assert } from 'assert';
import { macroF1 } from '../../../src/shared/scoring/labels';
import { cellExamples, cellShade, classifyAgreement, classScores, confusionOf, parseConfusion, summarizeMatrix, topConfusions } from '../../../webview/diffs/confusion';

// Rows = reference, columns = predicted.
//            pred: a  b  c
const M = { labels: ['a', 'b', 'c'], counts: [[5, 1, 0], [2, 3, 0], [0, 0, 0]] };

describe('confusion matrix model', () => {
  it('accepts a well-formed matrix and refuses damaged ones', () => {
    assert.deepEqual(parseConfusion(M), M);
    for (const bad of [
      null, [], 'x', { labels: [], counts: [] },
      { labels: ['a', 'a'], counts: [[1, 0], [0, 1]] },
      { labels: ['a', 'b'], counts: [[1, 0]] },
      { labels: ['a', 'b'], counts: [[1, 0], [0]] },
      { labels: ['a', 'b'], counts: [[1, -1], [0, 1]] },
      { labels: ['a', 'b'], counts: [[1, 0.5], [0, 1]] },
      { labels: ['a', 2], counts: [[1, 0], [0, 1]] },
      { labels: ['a', 'b'], counts: [[1, NaN], [0, 1]] },
    ]) assert.equal(parseConfusion(bad), undefined, JSON.stringify(bad));
    // A copy: changing the input later does not change the view's matrix.
    const input = { labels: ['x'], counts: [[2]] };
    const parsed = parseConfusion(input)!;
    input.counts[0][0] = 9;
    assert.equal(parsed.counts[0][0], 2);
  });

  it('scores each class by hand: precision = diagonal ÷ column, recall = diagonal ÷ row, 0 where undefined', () => {
    const [a, b, c] = classScores(M);
    assert.deepEqual([a.support, a.predicted, a.correct], [6, 7, 5]);
    assert.ok(Math.abs(a.precision - 5 / 7) < 1e-12 && Math.abs(a.recall - 5 / 6) < 1e-12);
    assert.ok(Math.abs(a.f1 - (2 * (5 / 7) * (5 / 6)) / (5 / 7 + 5 / 6)) < 1e-12);
    assert.ok(Math.abs(b.precision - 3 / 4) < 1e-12 && Math.abs(b.recall - 3 / 5) < 1e-12);
    assert.deepEqual([c.support, c.predicted, c.precision, c.recall, c.f1], [0, 0, 0, 0, 0]);
    const s = summarizeMatrix(M);
    assert.equal(s.total, 11);
    assert.ok(Math.abs(s.accuracy - 8 / 11) < 1e-12);
    assert.ok(Math.abs(s.macroF1 - (a.f1 + b.f1) / 2) < 1e-12, 'the mean over the labels with references (c has none)');
    // The engine's macro-F1 of the same pairs.
    const predicted = ['a', 'a', 'a', 'a', 'a', 'b', 'a', 'a', 'b', 'b', 'b'];
    const references = ['a', 'a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b'];
    assert.ok(Math.abs(s.macroF1 - macroF1(predicted, references)) < 1e-12);
    assert.ok(Number.isNaN(summarizeMatrix({ labels: ['a'], counts: [[0]] }).macroF1));
    assert.equal(s.max, 5);
  });

  it('shades cells by count: empty cells none, the largest full, a single error still visible', () => {
    assert.equal(cellShade(0, 5), 0);
    assert.equal(cellShade(5, 5), 1);
    assert.ok(cellShade(1, 1000) >= 0.08);
    assert.ok(cellShade(2, 5) < cellShade(3, 5));
  });

  it('builds the matrix of predictions and lists the samples of a cell', () => {
    const samples = [
      { reference: 'pos', prediction: 'pos' }, { reference: 'neg', prediction: 'pos' },
      { reference: 'neg', prediction: 'neg' }, { reference: 'neg', prediction: 'pos' }, { reference: 'pos', prediction: '<unk>' },
    ];
    const m = confusionOf(samples);
    assert.deepEqual(m.labels, ['neg', 'pos', '<unk>'], 'by reference count, then predicted-only labels');
    assert.deepEqual(m.counts, [[1, 2, 0], [0, 1, 1], [0, 0, 0]]);
    assert.deepEqual(cellExamples(samples, m, 'neg', 'pos'), [1, 3]);
    assert.deepEqual(cellExamples(samples, m, 'pos', 'neg'), []);
    assert.deepEqual(topConfusions(m), [{ ref: 'neg', pred: 'pos', count: 2 }, { ref: 'pos', pred: '<unk>', count: 1 }]);
    // A merged matrix: "(other)" holds every label it does not name.
    const merged = { labels: ['neg', '(other)'], counts: [[1, 2], [0, 2]] };
    assert.deepEqual(cellExamples(samples, merged, '(other)', '(other)'), [0, 4]);
    assert.deepEqual(cellExamples(samples, merged, 'neg', '(other)'), [1, 3]);
  });

  it('compares two checkpoints sample by sample: right in both, in one, in neither, and where they differ', () => {
    const sample = (index: number, reference: string, prediction: string, alternatives?: string[]) =>
      ({ index, source: `s${index}`, reference, referenceTokens: [reference], prediction, predictionTokens: [prediction], probabilities: [1], ...(alternatives ? { alternatives } : {}) });
    const a = [sample(0, 'x', 'x'), sample(1, 'x', 'y'), sample(2, 'y', 'y'), sample(3, 'z', 'x'), sample(4, 'z', 'y'), sample(5, 'q', 'w', ['w']), sample(9, 'x', 'x')];
    const b = [sample(0, 'x', 'x'), sample(1, 'x', 'x'), sample(2, 'y', 'x'), sample(3, 'z', 'y'), sample(4, 'z', 'y'), sample(5, 'q', 'q', ['w'])];
    const r = classifyAgreement(a, b);
    // #9 is only in A: left out. #5: "w" is an accepted reference, so both are right.
    assert.deepEqual({ total: r.total, bothRight: r.bothRight, onlyA: r.onlyA, onlyB: r.onlyB, bothWrong: r.bothWrong }, { total: 6, bothRight: 2, onlyA: 1, onlyB: 1, bothWrong: 2 });
    assert.deepEqual(r.disagreements.map(d => [d.index, d.a, d.b, d.right]), [[1, 'y', 'x', 'b'], [2, 'y', 'x', 'a'], [3, 'x', 'y', 'neither'], [5, 'w', 'q', 'both']]);
    assert.equal(classifyAgreement(a, a).disagreements.length, 0);
  });
});

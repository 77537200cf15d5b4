/**
 * The diffs panel's pure logic with hand-worked examples: token alignment (substitutions,
 * insertions, deletions), confusions, the summary line, sorting/filtering, the comparison of
 * two prediction sets, and the windowing arithmetic of the virtualized list.
 */
import { strict as assert } from 'assert';
import type { PredictedSample } from '../../../src/shared/protocol';
import {
  alignTokens, analyzeSample, sampleScores, compareSamples, comparabilityProblem, countChanges, countConfusions, DEFAULT_QUERY, formatSummary,
  scrollToRow, selectRows, summarize, tokenBleu, visibleWindow, type AlignedCell,
} from '../../../webview/diffs/model';

const compact = (cells: AlignedCell[]) => cells.map(c => `${c.kind}:${c.ref ?? ''}>${c.pred ?? ''}${c.predIndex === undefined ? '' : `@${c.predIndex}`}`);

function sample(index: number, reference: string, prediction: string): PredictedSample {
  const referenceTokens = [...reference];
  const predictionTokens = [...prediction];
  return { index, source: `src ${index}`, reference, referenceTokens, prediction, predictionTokens, probabilities: predictionTokens.map(() => 0.5) };
}

describe('diffs model', () => {
  describe('alignTokens', () => {
    it('marks a substitution between matches', () => {
      assert.deepEqual(compact(alignTokens([...'abcd'], [...'axcd'])), ['match:a>a@0', 'sub:b>x@1', 'match:c>c@2', 'match:d>d@3']);
    });
    it('marks a deletion (a reference token left out) and an insertion (a token added)', () => {
      assert.deepEqual(compact(alignTokens([...'abc'], [...'ac'])), ['match:a>a@0', 'del:b>', 'match:c>c@1']);
      assert.deepEqual(compact(alignTokens([...'ac'], [...'abc'])), ['match:a>a@0', 'ins:>b@1', 'match:c>c@2']);
    });
    it('pairs a gap left to right and leaves the rest as deletions or insertions', () => {
      assert.deepEqual(compact(alignTokens([...'abc'], [...'xy'])), ['sub:a>x@0', 'sub:b>y@1', 'del:c>']);
      assert.deepEqual(compact(alignTokens([...'a'], [...'xyz'])), ['sub:a>x@0', 'ins:>y@1', 'ins:>z@2']);
    });
    it('handles empty sides', () => {
      assert.deepEqual(compact(alignTokens([...'ab'], [])), ['del:a>', 'del:b>']);
      assert.deepEqual(compact(alignTokens([], [...'ab'])), ['ins:>a@0', 'ins:>b@1']);
      assert.deepEqual(alignTokens([], []), []);
    });
    it('works on word tokens and a date with an error and an extra character', () => {
      assert.deepEqual(compact(alignTokens(['the', 'cat', 'sat'], ['the', 'dog', 'sat', 'down'])), ['match:the>the@0', 'sub:cat>dog@1', 'match:sat>sat@2', 'ins:>down@3']);
      const cells = alignTokens([...'2021-03'], [...'2022-033']);
      assert.deepEqual(cells.filter(c => c.kind !== 'match').map(c => `${c.kind}:${c.ref ?? ''}>${c.pred ?? ''}`), ['sub:1>2', 'ins:>3']);
      // Every predicted token appears once, in order.
      assert.deepEqual(cells.filter(c => c.predIndex !== undefined).map(c => c.predIndex), [0, 1, 2, 3, 4, 5, 6, 7]);
    });
  });

  it('counts confusions, most frequent first', () => {
    const alignments = [alignTokens([...'abcd'], [...'axcd']), alignTokens([...'ab'], [...'ax']), alignTokens([...'abc'], [...'ac']), alignTokens([...'q'], [...'qz'])];
    assert.deepEqual(countConfusions(alignments), [
      { ref: 'b', pred: 'x', count: 2 },
      { ref: '', pred: 'z', count: 1 },
      { ref: 'b', pred: '', count: 1 },
    ]);
    assert.equal(countConfusions(alignments, 1).length, 1);
  });

  it('a sample with alternative references is exact and error-free when it equals one of them', () => {
    const plain = sample(0, 'abcd', 'abxd');
    const withAlternative = { ...plain, alternatives: ['abxd'] };
    assert.equal(analyzeSample(plain).exact, false);
    assert.ok(analyzeSample(plain).cer > 0);
    const stats = analyzeSample(withAlternative);
    assert.equal(stats.exact, true);
    assert.equal(stats.cer, 0);
    assert.equal(stats.editDistance, 1, 'the alignment still shows the main reference');
    const summary = summarize([withAlternative, sample(1, 'ab', 'ab')], [stats, analyzeSample(sample(1, 'ab', 'ab'))]);
    assert.equal(summary.exactMatch, 1);
    assert.equal(summary.cer, 0);
  });

  it('summarizes exact match, token accuracy and confusions', () => {
    const samples = [sample(0, 'abcd', 'abcd'), sample(1, 'abcd', 'axcd'), sample(2, 'ab', 'b')];
    const stats = samples.map(analyzeSample);
    const summary = summarize(samples, stats);
    assert.equal(summary.exactMatch, 1 / 3);
    // Position-wise: 4 + 3 + 0 correct of 4 + 4 + 2 reference tokens.
    assert.equal(summary.tokenAccuracy, 7 / 10);
    assert.deepEqual(summary.confusions, [{ ref: 'a', pred: '', count: 1 }, { ref: 'b', pred: 'x', count: 1 }]);
    // Corpus error rates: 0 + 1 + 1 character edits over 4 + 4 + 2 reference characters; each sample is one word.
    assert.equal(summary.cer, 2 / 10);
    assert.equal(summary.wer, 2 / 3);
    assert.equal(formatSummary(summary), '3 samples · exact match 33.33 % · token accuracy 70.00 % · CER 20.00 % · WER 66.67 % · most frequent confusions: a → ∅ (×1), b → x (×1)');
    assert.deepEqual(stats.map(s => s.editDistance), [0, 1, 1]);
    // The webview passes @vscode/l10n's t: the template and its arguments go through it.
    const seen: string[] = [];
    formatSummary(summary, (template, ...args) => (seen.push(template), `${template}:${args.join('|')}`));
    assert.deepEqual(seen, ['{0} samples · exact match {1} · token accuracy {2} · CER {3} · WER {4} · most frequent confusions: {5}']);
    // Phoneme targets (PredictRequest.Result.targetUnit, g2p): the word error rate is the PER.
    assert.equal(formatSummary(summary, undefined, 'phoneme'), '3 samples · exact match 33.33 % · token accuracy 70.00 % · CER 20.00 % · PER 66.67 % · most frequent confusions: a → ∅ (×1), b → x (×1)');
  });

  it('scores each sample\'s character and word error rates as the engine does', () => {
    const words = (index: number, reference: string, prediction: string): PredictedSample => ({
      index, source: '', reference, referenceTokens: reference.split(' '), prediction, predictionTokens: prediction.split(' '), probabilities: [],
    });
    const s = analyzeSample(words(0, 'the cat sat', 'the bat sat down'));
    // Characters: c→b and " down" inserted = 6 edits over 11; words: 1 substitution + 1 insertion over 3.
    assert.equal(s.cer, 6 / 11);
    assert.equal(s.wer, 2 / 3);
    assert.equal(sampleScores(s), `BLEU ${s.bleu.toFixed(1)} · CER 54.55 % · WER 66.67 %`);
    assert.equal(sampleScores(s, 'phoneme'), `BLEU ${s.bleu.toFixed(1)} · CER 54.55 % · PER 66.67 %`);
    const exact = analyzeSample(words(1, 'a b', 'a b'));
    assert.deepEqual([exact.cer, exact.wer], [0, 0]);
  });

  it('scores sentence BLEU token by token (whitespace tokens kept)', () => {
    assert.equal(tokenBleu([...'a b c d'], [...'a b c d']), 100);
    assert.equal(tokenBleu([...'abcd'], []), 0);
    assert.equal(tokenBleu([], []), 100);
    const partial = tokenBleu([...'abcdef'], [...'abcxef']);
    assert.ok(partial > 0 && partial < 100, String(partial));
  });

  it('sorts worst first, by length, and filters by token and wrongness', () => {
    const samples = [sample(0, 'abcd', 'abcd'), sample(1, 'abcdefgh', 'abxdefgh'), sample(2, 'ab', 'yz'), sample(3, 'abc', 'abz')];
    const stats = samples.map(analyzeSample);
    assert.deepEqual(selectRows(stats, DEFAULT_QUERY), [0, 1, 2, 3]);
    assert.deepEqual(selectRows(stats, { ...DEFAULT_QUERY, sort: 'editDistance' }), [2, 1, 3, 0]);
    assert.deepEqual(selectRows(stats, { ...DEFAULT_QUERY, sort: 'bleu' }).slice(0, 1), [2]);
    assert.equal(selectRows(stats, { ...DEFAULT_QUERY, sort: 'bleu' })[3], 0, 'the exact one last');
    assert.deepEqual(selectRows(stats, { ...DEFAULT_QUERY, sort: 'length' }), [1, 0, 3, 2]);
    assert.deepEqual(selectRows(stats, { ...DEFAULT_QUERY, onlyWrong: true }), [1, 2, 3]);
    assert.deepEqual(selectRows(stats, { ...DEFAULT_QUERY, token: 'z' }), [2, 3]);
    assert.deepEqual(selectRows(stats, { ...DEFAULT_QUERY, token: 'x', onlyWrong: true }), [1]);
    assert.deepEqual(selectRows(stats, { ...DEFAULT_QUERY, token: 'nothing' }), []);
  });

  it('compares two prediction sets: improved, regressed, unchanged and the diff between them', () => {
    const reference = ['abcd', 'abcd', 'abcd', 'abcd'];
    const before = [sample(0, reference[0], 'axyd'), sample(1, reference[1], 'abcd'), sample(2, reference[2], 'abcx'), sample(3, reference[3], 'zbcd')];
    const after = [sample(0, reference[0], 'abyd'), sample(1, reference[1], 'abc'), sample(2, reference[2], 'abcy'), sample(3, reference[3], 'zbcd')];
    assert.equal(comparabilityProblem(before, after), undefined);
    const compared = compareSamples(before, after);
    assert.deepEqual(compared.map(c => c.change), ['improved', 'regressed', 'same', 'same']);
    assert.deepEqual(compared.map(c => [c.distanceA, c.distanceB]), [[2, 1], [0, 1], [1, 1], [1, 1]]);
    assert.deepEqual(compact(compared[0].between), ['match:a>a@0', 'sub:x>b@1', 'match:y>y@2', 'match:d>d@3']);
    assert.deepEqual(countChanges(compared), { improved: 1, regressed: 1, same: 2 });
    const stats = after.map(analyzeSample);
    assert.deepEqual(selectRows(stats, { ...DEFAULT_QUERY, change: 'improved' }, compared), [0]);
    assert.deepEqual(selectRows(stats, { ...DEFAULT_QUERY, change: 'regressed' }, compared), [1]);
    assert.deepEqual(selectRows(stats, { ...DEFAULT_QUERY, change: 'changed' }, compared), [0, 1]);
    assert.match(comparabilityProblem(before, after.slice(1))!, /4 and 3 samples/);
    assert.match(comparabilityProblem(before, [after[0], { ...after[1], source: 'other' }, after[2], after[3]])!, /sample 2 differs/);
  });

  describe('visibleWindow', () => {
    it('renders only the visible rows plus overscan', () => {
      assert.deepEqual(visibleWindow(0, 100, 20, 10_000, 4), { first: 0, end: 9, offset: 0, totalHeight: 200_000 });
      // scrollTop 1010: rows 50 (partly) to 55 are visible → 46..60 with overscan 4.
      assert.deepEqual(visibleWindow(1010, 100, 20, 10_000, 4), { first: 46, end: 60, offset: 920, totalHeight: 200_000 });
    });
    it('clamps past the end and handles short or empty lists', () => {
      assert.deepEqual(visibleWindow(1e9, 100, 20, 10_000, 4), { first: 9991, end: 10_000, offset: 9991 * 20, totalHeight: 200_000 });
      assert.deepEqual(visibleWindow(-50, 500, 20, 3, 4), { first: 0, end: 3, offset: 0, totalHeight: 60 });
      assert.deepEqual(visibleWindow(0, 100, 20, 0), { first: 0, end: 0, offset: 0, totalHeight: 0 });
      assert.deepEqual(visibleWindow(0, 0, 20, 100, 0), { first: 0, end: 1, offset: 0, totalHeight: 2000 });
    });
    it('keeps the window small at any scroll position of 10,000 rows', () => {
      for (let top = 0; top < 10_000 * 76; top += 7919) {
        const w = visibleWindow(top, 600, 76, 10_000, 4);
        assert.ok(w.end - w.first <= Math.ceil(600 / 76) + 1 + 8, `at ${top}: ${w.end - w.first} rows`);
        assert.ok(w.first * 76 <= top && w.end * 76 >= Math.min(top + 600, 760_000));
      }
    });
    it('scrolls a row into view with the least movement', () => {
      assert.equal(scrollToRow(10, 0, 100, 20), 120, 'below: align its bottom');
      assert.equal(scrollToRow(2, 100, 100, 20), 40, 'above: align its top');
      assert.equal(scrollToRow(6, 100, 100, 20), 100, 'visible: stay');
    });
  });

  it('analyzes and selects 10,000 samples (time printed, not asserted: speed is for benchmarks)', () => {
    const samples = Array.from({ length: 10_000 }, (_, i) => sample(i, `20${String(i % 100).padStart(2, '0')}-03-0${i % 10}`, `20${String((i * 7) % 100).padStart(2, '0')}-03-0${i % 9}`));
    const t = Date.now();
    const stats = samples.map(analyzeSample);
    const summary = summarize(samples, stats);
    const rows = selectRows(stats, { ...DEFAULT_QUERY, sort: 'editDistance', onlyWrong: true });
    const ms = Date.now() - t;
    assert.equal(summary.samples, 10_000);
    assert.ok(rows.length > 0 && rows.length <= 10_000);
    console.log(`      10,000 samples analyzed and selected in ${ms} ms`);
  });
});

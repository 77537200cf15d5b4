/** The tag view's pure model: tokens with their tags, wrong ones against the reference, stable colours, legend. */
import { strict as assert } from 'assert';
import { allTags, overallTagAccuracy, TAG_PALETTE, tagCells, tagColors, taggedSample, tagLegend, tagStats } from '../../../webview/diffs/tagView';
import { parseRunInfo, viewOf } from '../../../webview/diffs/shapeView';

describe('tag view model', () => {
  it('pairs each source token with its predicted tag and marks the wrong ones', () => {
    const cells = tagCells({ tokens: ['中', '国', '人'], predicted: ['zhong', 'guo', 'ren'], reference: ['zhong', 'guo', 'ren2'] });
    assert.deepEqual(cells.map(c => [c.token, c.predicted, c.wrong]), [['中', 'zhong', false], ['国', 'guo', false], ['人', 'ren', true]]);
    assert.equal(cells[2].reference, 'ren2');
    const stats = tagStats(cells);
    assert.deepEqual([stats.tokens, stats.correct, stats.allCorrect], [3, 2, false]);
    // A missing prediction is wrong; a token without a reference tag is not scored.
    const short = tagCells({ tokens: ['a', 'b', 'c'], predicted: ['X'], reference: ['X', 'Y'] });
    assert.deepEqual(short.map(c => [c.predicted, c.reference, c.wrong]), [['X', 'X', false], ['', 'Y', true], ['', undefined, false]]);
    assert.equal(tagStats(short).tokens, 2);
    assert.ok(Math.abs(overallTagAccuracy([stats, tagStats(short)]) - 3 / 5) < 1e-12, 'token-weighted');
    assert.ok(Number.isNaN(overallTagAccuracy([])));
  });

  it('gives each tag its own colour when they fit the palette, in sorted order', () => {
    const colors = tagColors(['VERB', 'NOUN', 'ADJ', 'NOUN']);
    assert.deepEqual([...colors], [['ADJ', 'blue'], ['NOUN', 'orange'], ['VERB', 'green']]);
    assert.equal(new Set(colors.values()).size, 3);
  });

  it('keeps a tag\'s colour whatever other tags there are, beyond the palette', () => {
    const many = Array.from({ length: 40 }, (_, i) => `t${i}`);
    const a = tagColors(many);
    const b = tagColors([...many.slice(0, 20), 'zzz', 'yyy', 'xxx', ...many.slice(20)].reverse());
    for (const tag of many) assert.equal(a.get(tag), b.get(tag), tag);
    assert.ok([...a.values()].every(c => TAG_PALETTE.includes(c)));
    assert.ok(new Set(a.values()).size > 3, 'spread over the palette');
  });

  it('lists the legend most predicted first, reference-only tags too, and says how many are left out', () => {
    const rows = [tagCells({ tokens: ['a', 'b', 'c'], predicted: ['N', 'V', 'N'], reference: ['N', 'V', 'ADJ'] })];
    const colors = tagColors(allTags([{ tokens: ['a', 'b', 'c'], predicted: ['N', 'V', 'N'], reference: ['N', 'V', 'ADJ'] }]));
    const legend = tagLegend(rows, colors);
    assert.deepEqual(legend.entries.map(e => [e.tag, e.count]), [['N', 2], ['V', 1], ['ADJ', 0]]);
    assert.equal(legend.more, 0);
    assert.deepEqual(tagLegend(rows, colors, 2).more, 1);
  });
});

describe('tag view: a predicted sample read for the view', () => {
  it('takes the source tokens and both tag lists, without the tokenizer\'s word-start marker, and survives damage', () => {
    const sample = { index: 0, source: 'the cat', sourceTokens: ['▁the', '▁cat'], reference: 'DET NOUN', referenceTokens: ['▁DET', '▁NOUN'], prediction: 'DET VERB', predictionTokens: ['▁DET', '▁VERB'], probabilities: [0.9, 0.4] };
    assert.deepEqual(taggedSample(sample), { tokens: ['the', 'cat'], predicted: ['DET', 'VERB'], reference: ['DET', 'NOUN'] });
    const damaged = { ...sample, sourceTokens: [1, 2] as unknown as string[], predictionTokens: 'x' as unknown as string[] };
    assert.deepEqual(taggedSample(damaged), { tokens: ['the', 'cat'], predicted: [], reference: ['DET', 'NOUN'] }, 'the source split at spaces, no predictions');
  });
});

describe('diffs panel: the view of a shape', () => {
  it('gives classify the confusion matrix, tag the tags, the others the diffs; checks the host\'s run info', () => {
    assert.deepEqual(['seq2seq', 'classify', 'tag', 'generate', 'bogus', undefined].map(viewOf), ['diffs', 'confusion', 'tags', 'diffs', 'diffs', 'diffs']);
    const M = { labels: ['a', 'b'], counts: [[1, 0], [2, 3]] };
    const run = parseRunInfo({ shape: 'classify', evaluations: [{ step: 4, split: 'valid', best: true, confusion: M }, null, { step: 5, split: 'valid', confusion: { labels: ['a'], counts: [[-1]] } }, { step: 'x', split: 'test', confusion: M }] });
    assert.deepEqual(run, { shape: 'classify', evaluations: [{ step: 4, split: 'valid', best: true, confusion: M }] });
    assert.equal(parseRunInfo({ shape: 'auto', evaluations: [] }), undefined);
    assert.equal(parseRunInfo(null), undefined);
  });
});

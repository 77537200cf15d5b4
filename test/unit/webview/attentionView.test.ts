/**
 * DOM-free parts of the attention view: what a map shows (candidates, validation samples, old
 * history lines), axis label thinning, fingerprints, what-if row changes, exports; where source
 * tokens lie in the editor text; validation samples rebuilt from metrics.jsonl.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeFileAtomic } from '../../../src/shared/io/atomic';
import type { AttentionItem } from '../../../src/shared/attentionProtocol';
import type { Translation } from '../../../src/shared/protocol';
import { sourceTokenRanges } from '../../../src/extension/panels/sourceRanges';
import { parseMetricsLines } from '../../../src/extension/runs/history';
import {
  evaluationView, exportJson, exportName, itemView, labelledPositions, matrixPoints, rowChanges, signature,
} from '../../../webview/attention/heatmap';

const translation: Translation = {
  source: 'March 3 2021',
  sourceTokens: ['march', '3', '2021'],
  output: '2021-03',
  tokens: ['2021', '-', '03'],
  probabilities: [0.9, 0.8, 0.7],
  attention: [[0, 0.1, 0.9], [0.3, 0.4, 0.3], [0.1, 0.8, 0.1]],
  candidates: [
    { output: '2021-03', tokens: ['2021', '-', '03'], probabilities: [0.9, 0.8, 0.7], logProbability: -0.7, score: -0.5, attention: [[0, 0.1, 0.9], [0.3, 0.4, 0.3], [0.1, 0.8, 0.1]] },
    { output: '2021', tokens: ['2021'], probabilities: [0.9], logProbability: -1.2, score: -1.1, attention: [[0.2, 0.2, 0.6]] },
  ],
};

describe('attention view model', () => {
  it('shows the chosen beam candidate with its own attention', () => {
    const item: AttentionItem = { id: 't1', label: 'x', origin: 'selection', translation };
    const second = itemView(item, 1);
    assert.deepEqual([second.tokens, second.attention, second.ref], [['2021'], [[0.2, 0.2, 0.6]], { kind: 'item', itemId: 't1', candidate: 1 }]);
    assert.deepEqual(itemView(item, 7).tokens, translation.tokens, 'an unknown candidate falls back to the best');
  });

  it('validation samples from older history lines get character tokens', () => {
    const view = evaluationView({ step: 20, epoch: 0, sample: { source: '', sourceTokens: [], output: 'ab', tokens: [], probabilities: [], attention: [[0.5, 0.5], [1, 0]], candidates: [], reference: '' } }, 'run');
    assert.deepEqual(view.tokens, ['a', 'b']);
    assert.deepEqual(view.sourceTokens, ['#1', '#2']);
    assert.equal(view.key, 'eval:20');
  });

  it('matrix points, thinned labels and fingerprints', () => {
    assert.deepEqual(matrixPoints([[0.25, 0.75]]), [{ x: 0, y: 0, v: 0.25 }, { x: 1, y: 0, v: 0.75 }]);
    assert.deepEqual(labelledPositions(5, 500), [0, 1, 2, 3, 4]);
    const thinned = labelledPositions(200, 700);
    assert.ok(thinned.length <= 51 && thinned[0] === 0 && thinned.every((p, i) => i === 0 || p > thinned[i - 1]));
    assert.equal(signature(translation.attention), signature(translation.attention.map(r => [...r])));
    assert.notEqual(signature(translation.attention), signature([[0, 0.1, 0.9], [0.3, 0.4, 0.3], [0.1, 0.1, 0.8]]));
  });

  it('what-if row changes and exports', () => {
    assert.deepEqual(rowChanges([[0.5, 0.5], [1, 0]], [[0.5, 0.5], [0, 1], [1, 0]]), [0, 1]);
    const view = itemView({ id: 't1', label: 'x', origin: 'typed', translation }, 0);
    const json = JSON.parse(exportJson(view));
    assert.deepEqual([json.format, json.sourceTokens, json.tokens, json.attention], ['seq2seq-lab.attention', translation.sourceTokens, translation.tokens, translation.attention]);
    assert.equal(exportName(view, 'png'), 'attention-March-3-2021.png');
    assert.match(exportName({ ...view, source: '../../etc/passwd' }, 'json'), /^[\w.-]+\.json$/);
  });

  it('finds each source token in the selected text, in order, ignoring case', () => {
    const text = '  On March 3 2021 we met';
    const ranges = sourceTokenRanges(text, 'March 3 2021', ['march', '3', '2021', '<unk>']);
    assert.deepEqual(ranges.slice(0, 3).map(r => r && text.slice(r.start, r.end)), ['March', '3', '2021']);
    assert.equal(ranges[3], undefined);
    const chars = sourceTokenRanges('ab a', 'ab a', ['a', 'b', ' ', 'a']);
    assert.deepEqual(chars.map(r => r?.start), [0, 1, 2, 3]);
  });

  it('rebuilds the whole validation sample from a metrics.jsonl line', () => {
    const sample = { prediction: '2021', attention: [[1]], source: 'x', sourceTokens: ['x'], tokens: ['2021'], probabilities: [0.5], reference: '2021' };
    const [event] = parseMetricsLines(JSON.stringify({ step: 10, epoch: 0, split: 'valid', best: true, sample }));
    assert.ok(event.kind === 'eval');
    assert.deepEqual([event.sample.source, event.sample.sourceTokens, event.sample.tokens, event.sample.probabilities, event.sample.reference], ['x', ['x'], ['2021'], [0.5], '2021']);
  });
});

describe('attention export writes', () => {
  it('replace the file whole and leave no temporary file, also when the write fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-export-'));
    try {
      const file = path.join(dir, 'map.json');
      fs.writeFileSync(file, 'old');
      writeFileAtomic(file, Buffer.from('{"attention":[[1]]}'));
      assert.equal(fs.readFileSync(file, 'utf8'), '{"attention":[[1]]}');
      assert.deepEqual(fs.readdirSync(dir), ['map.json']);
      assert.throws(() => writeFileAtomic(path.join(dir, 'missing', 'map.png'), Buffer.from('x')));
      assert.deepEqual(fs.readdirSync(dir), ['map.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

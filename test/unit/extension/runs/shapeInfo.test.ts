/** A run's shape and its classify evaluations' confusion matrices, read from hand-made run directories (untrusted files). */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseConfusionMatrix } from '../../../../src/shared/diffsProtocol';
import { loadShapeInfo, parseEvaluationConfusions, shapeOfConfigFile } from '../../../../src/extension/runs/shapeInfo';
import { runInfoOf } from '../../../../src/extension/runs/runInfo';

const M = { labels: ['pos', 'neg'], counts: [[3, 1], [0, 2]] };

describe('runs/shapeInfo', () => {
  it('reads the shape config.json records, else its configuration\'s, else seq2seq', () => {
    assert.equal(shapeOfConfigFile({ shape: 'tag', config: { shape: 'auto' } }), 'tag');
    assert.equal(shapeOfConfigFile({ config: { shape: 'classify' } }), 'classify');
    assert.equal(shapeOfConfigFile({ config: { shape: 'auto' } }), 'seq2seq');
    assert.equal(shapeOfConfigFile({ shape: 'nonsense' }), 'seq2seq');
    assert.equal(shapeOfConfigFile(null), 'seq2seq');
    assert.equal(runInfoOf({ shape: 'classify' }, undefined).shape, 'classify', 'the dashboard hears it too');
    assert.equal(runInfoOf({ config: {} }, undefined).shape, undefined);
  });

  it('validates a matrix: square whole counts, distinct labels', () => {
    assert.deepEqual(parseConfusionMatrix(M), { ok: true, value: M });
    for (const bad of [{ labels: ['a', 'a'], counts: [[1, 0], [0, 1]] }, { labels: ['a'], counts: [[1, 2]] }, { labels: ['a'], counts: [[-1]] }, { labels: [], counts: [] }, 'x']) {
      assert.equal(parseConfusionMatrix(bad).ok, false, JSON.stringify(bad));
    }
  });

  it('takes every metrics line\'s matrix in file order and reports the damaged ones', () => {
    const problems: string[] = [];
    const text = [
      JSON.stringify({ step: 10, split: 'valid', best: true, exactMatch: 0.5, confusion: M }),
      '{"torn',
      JSON.stringify({ step: 20, split: 'valid', exactMatch: 0.6 }),
      JSON.stringify({ step: 20, split: 'valid', confusion: { labels: ['a'], counts: [[1, 1]] } }),
      JSON.stringify({ step: 30, split: 'test', confusion: M }),
    ].join('\n');
    const found = parseEvaluationConfusions(text, (line, reason) => problems.push(`${line}: ${reason}`));
    assert.deepEqual(found.map(e => [e.step, e.split, e.best]), [[10, 'valid', true], [30, 'test', false]]);
    assert.deepEqual(found[0].confusion, M);
    assert.equal(problems.length, 2);
    assert.match(problems[0], /^2: /);
    assert.match(problems[1], /^4: confusion\.counts/);
  });

  it('loads a classify run directory\'s matrices, and nothing for other shapes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-shape-info-'));
    try {
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ config: { shape: 'classify' }, shape: 'classify' }));
      fs.writeFileSync(path.join(dir, 'metrics.jsonl'), JSON.stringify({ step: 4, split: 'valid', confusion: M }) + '\n');
      assert.deepEqual(await loadShapeInfo(dir), { shape: 'classify', evaluations: [{ step: 4, split: 'valid', best: false, confusion: M }] });
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ config: { shape: 'tag' }, shape: 'tag' }));
      assert.deepEqual(await loadShapeInfo(dir), { shape: 'tag', evaluations: [] });
      const problems: string[] = [];
      assert.deepEqual(await loadShapeInfo(path.join(dir, 'missing'), p => problems.push(p)), { shape: 'seq2seq', evaluations: [] });
      assert.equal(problems.length, 1, 'a missing config.json is reported');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

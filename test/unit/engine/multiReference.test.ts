/**
 * A source that appears with several targets (a word with two pronunciations, a sentence with
 * two translations): its pairs stay in one split, training learns every pair, and validation
 * and test score each source once against all of its targets.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { prepareData } from '../../../src/engine/train/dataset';
import { referenceStreams } from '../../../src/engine/train/evaluate';
import { corpusBleu, errorRate, exactMatch } from '../../../src/shared/scoring';
import { DEFAULT_CONFIG, type Seq2SeqConfig } from '../../../src/shared/config';

describe('engine: sources with several references', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-multiref-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function prepare(lines: string[]) {
    const file = path.join(dir, `data${lines.length}.tsv`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const config: Seq2SeqConfig = { ...DEFAULT_CONFIG, sourceTokenizer: 'char', targetTokenizer: 'word', validFraction: 0.2, testFraction: 0.2, seed: 3 };
    return prepareData({ dataPath: file }, config);
  }

  it('keeps a source\'s pairs in one split; valid/test hold each source once with every target, train every pair', () => {
    // 60 words; every third has a second pronunciation (and one a third).
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) {
      const word = `w${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;
      lines.push(`${word}\tP${i} Q`);
      if (i % 3 === 0) lines.push(`${word}\tP${i} R`);
      if (i === 0) lines.push(`${word}\tP${i} S`);
    }
    const data = prepare(lines);
    const trainSources = new Set(data.train.map(p => p.sourceText));
    for (const example of [...data.valid, ...data.test]) assert.ok(!trainSources.has(example.sourceText), `${example.sourceText} leaked into training`);
    const scored = [...data.valid, ...data.test];
    assert.equal(new Set(scored.map(p => p.sourceText)).size, scored.length, 'one example per evaluated source');
    assert.equal(trainSources.size + scored.length, 60, 'every source somewhere');
    assert.equal(data.train.length + scored.reduce((n, p) => n + (p.references?.length ?? 1), 0), lines.length, 'no target lost');
    assert.equal(data.valid.length, 12, '20 % of the 60 sources');
    for (const example of scored) {
      const i = Number(/^P(\d+)/.exec(example.reference)![1]);
      const expected = [`P${i} Q`, ...(i % 3 === 0 ? [`P${i} R`] : []), ...(i === 0 ? [`P${i} S`] : [])];
      assert.deepEqual(example.references ?? [example.reference], expected, `${example.sourceText}: references in file order`);
      assert.equal(example.reference, expected[0]);
    }
  });

  it('the evaluation scores against any reference: exact match, error rate and BLEU streams', () => {
    const pairs = [
      { reference: 'HH AH0 L OW1', references: ['HH AH0 L OW1', 'HH EH0 L OW1'] },
      { reference: 'K AE1 T' },
    ];
    const streams = referenceStreams(pairs);
    assert.deepEqual(streams, [['HH AH0 L OW1', 'K AE1 T'], ['HH EH0 L OW1', '']]);
    const hyps = ['HH EH0 L OW1', 'K AE1 T'];
    const refs = pairs.map(p => p.references ?? p.reference);
    assert.equal(exactMatch(hyps, refs), 1, 'the second pronunciation counts');
    assert.equal(exactMatch(hyps, pairs.map(p => p.reference)), 0.5, 'against the first only it would not');
    assert.equal(errorRate(hyps, refs, 'word'), 0);
    assert.ok(Math.abs(corpusBleu(hyps, streams).score - 100) < 1e-9);
    assert.ok(corpusBleu(hyps, [streams[0]]).score < 100);
  });

  it('a file without repeated sources gets no references lists (one reference per example)', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `s${i}\tt${i}`);
    const data = prepare(lines);
    assert.ok([...data.valid, ...data.test].every(p => p.references === undefined));
    assert.equal(data.train.length + data.valid.length + data.test.length, 30);
  });
});

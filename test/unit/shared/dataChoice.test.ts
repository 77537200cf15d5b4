/**
 * The one dataset choice: exactly one non-empty `task` or `dataPath`, checked the same way at
 * every trust boundary (webview message, engine params, queue file, config.json).
 */
import { strict as assert } from 'assert';
import { dataChoiceOf, dataChoiceProblem, describeDataChoice, readDataChoice } from '../../../src/shared/dataChoice';

describe('DataChoice', () => {
  it('accepts exactly one non-empty task or dataPath', () => {
    assert.equal(dataChoiceProblem({ task: 'dates' }), undefined);
    assert.equal(dataChoiceProblem({ dataPath: '/w/pairs.tsv' }), undefined);
    assert.match(dataChoiceProblem({})!, /exactly one/);
    assert.match(dataChoiceProblem({ task: 'dates', dataPath: '/w/pairs.tsv' })!, /exactly one/);
    assert.match(dataChoiceProblem({ task: 7 })!, /task must be a string/);
    assert.match(dataChoiceProblem({ dataPath: ['a'] })!, /dataPath must be a string/);
    assert.match(dataChoiceProblem({ task: '' })!, /task must not be empty/);
    assert.match(dataChoiceProblem({ dataPath: 'x'.repeat(11) }, 10)!, /over 10 characters/);
  });

  it('keeps only the choice of a larger object, and reads one from outside or gives undefined', () => {
    const message = { type: 'start', config: { epochs: 1 }, task: 'dates' } as unknown as { task: string };
    assert.deepEqual(dataChoiceOf(message), { task: 'dates' });
    assert.deepEqual(readDataChoice({ dataPath: '/w/p.tsv', extra: 1 }), { dataPath: '/w/p.tsv' });
    for (const bad of [undefined, null, 'dates', [], {}, { task: 'a', dataPath: 'b' }, { task: '' }]) assert.equal(readDataChoice(bad), undefined, JSON.stringify(bad));
  });

  it('names the data for logs and errors', () => {
    assert.equal(describeDataChoice({ task: 'dates' }), 'task dates');
    assert.equal(describeDataChoice({ dataPath: '/w/p.tsv' }), 'file /w/p.tsv');
  });
});

/** "Re-run with these settings": what the Train Model form is opened with. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import { type RunCell } from '../../../../src/shared/experimentLog/types';
import { parseLog } from '../../../../src/shared/experimentLog/parse';
import { generatedRecipe, rerunRequest } from '../../../../src/shared/experimentLog/runRecipe';
import { tokenDiff } from '../../../../src/shared/experimentLog/tokenDiff';
import { DEFAULT_CONFIG } from '../../../../src/shared/config';
import { FIXTURES } from '../../extension/notebook/helpers';

function run(index: number): RunCell {
  const result = parseLog(fs.readFileSync(`${FIXTURES}/two-runs.s2slog`));
  if (!result.ok) throw new Error(result.error.message);
  return result.document.cells[index] as RunCell;
}

describe('notebook/runRecipe', () => {
  it('an untouched cell re-runs the recorded configuration exactly', () => {
    const recorded = { ...run(3), config: { ...run(3).config, learningRate: 0.01 } };
    // Line endings do not count as an edit.
    const request = rerunRequest(recorded, generatedRecipe(recorded).replace(/\n/g, '\r\n'));
    assert.ok(!('error' in request));
    // The log was recorded under older defaults (batchSize 64, epochs 5…): those recorded values come back, not today's defaults.
    assert.deepEqual(request, { config: { ...DEFAULT_CONFIG, ...run(3).config, learningRate: 0.01 }, data: { dataPath: 'data/my pairs.tsv' } });
    assert.equal((request as { config: { batchSize: number } }).config.batchSize, 64);
  });

  it('an edited cell runs what it says, over the defaults', () => {
    const request = rerunRequest(run(3), '{"task": "reverse", "config": {"cell": "gru"}}');
    assert.deepEqual(request, { config: { ...DEFAULT_CONFIG, cell: 'gru' }, data: { task: 'reverse' } });
  });

  it('explains what is wrong with an edited cell', () => {
    assert.match((rerunRequest(run(3), '{"task": "dates", "config": {"hiddenSize": -1}}') as { error: string }).error, /hiddenSize must be between/);
    assert.match((rerunRequest(run(3), '{"task": "dates"') as { error: string }).error, /not valid JSON/);
    assert.match((rerunRequest(run(3), '{"task": "dates", "dataPath": "x"}') as { error: string }).error, /exactly one of/);
    assert.match((rerunRequest(run(3), '{"task": "dates", "cfg": {}}') as { error: string }).error, /Unknown field "cfg"/);
  });
});

describe('notebook/tokenDiff', () => {
  it('compares character by character without spaces, word by word with them', () => {
    assert.deepEqual(tokenDiff('2021-03-03', '2021-03-08'), {
      joiner: '',
      parts: [{ kind: 'same', tokens: [...'2021-03-0'] }, { kind: 'missing', tokens: ['3'] }, { kind: 'extra', tokens: ['8'] }],
    });
    assert.deepEqual(tokenDiff('the cat sat', 'the dog sat'), {
      joiner: ' ',
      parts: [{ kind: 'same', tokens: ['the'] }, { kind: 'missing', tokens: ['cat'] }, { kind: 'extra', tokens: ['dog'] }, { kind: 'same', tokens: ['sat'] }],
    });
  });

  it('treats an emoji as one character', () => {
    assert.deepEqual(tokenDiff('a😀', 'a😀').parts, [{ kind: 'same', tokens: ['a', '😀'] }]);
  });
});

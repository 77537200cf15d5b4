/** Live updates of a run cell from the engine's progress events, and appending runs. */
import { strict as assert } from 'assert';
import { emptyLog, type LogDocument, type RunCell } from '../../../../src/shared/experimentLog/types';
import { parseLog } from '../../../../src/shared/experimentLog/parse';
import { writeLog } from '../../../../src/shared/experimentLog/write';
import { appendRun, finishRun, setRunState, updateRun } from '../../../../src/extension/notebook/runUpdates';
import { DEFAULT_CONFIG } from '../../../../src/shared/config';
import { evalEvent, result, startEvent, stepEvent } from './helpers';

const RUN = 'runs/live';

function withNoteAndRun(): LogDocument {
  const notes: LogDocument = { version: 1, cells: [{ kind: 'markdown', source: 'before\r\n' }] };
  return appendRun(notes, { runDir: RUN, data: { task: 'dates' }, config: { ...DEFAULT_CONFIG }, startedAt: '2025-01-01T00:00:00Z' });
}

const runOf = (document: LogDocument): RunCell => document.cells.find((c): c is RunCell => c.kind === 'run' && c.runDir === RUN)!;

describe('notebook/runUpdates', () => {
  it('appends a running run after the user cells, leaving them untouched', () => {
    const document = withNoteAndRun();
    assert.deepEqual(document.cells[0], { kind: 'markdown', source: 'before\r\n' });
    assert.equal(runOf(document).state, 'running');
    assert.deepEqual(runOf(document).metricsHistory, []);
  });

  it('follows a running run: progress, smoothed train loss, evaluations, latest sample', () => {
    let document = updateRun(withNoteAndRun(), RUN, startEvent(RUN, 20));
    document = updateRun(document, RUN, stepEvent(1, 2));
    document = updateRun(document, RUN, stepEvent(2, 1));
    let run = runOf(document);
    assert.equal(run.progress.step, 2);
    assert.equal(run.progress.fractionDone, 0.1);
    // 20 steps → a train point every step; smoothing: 0.8 · 2 + 0.2 · 1 = 1.8.
    assert.deepEqual(run.metricsHistory, [{ step: 1, epoch: 1, trainLoss: 2 }, { step: 2, epoch: 1, trainLoss: 1.8 }]);
    document = updateRun(document, RUN, evalEvent(2, 1, 0.25, 0.9, '2021-03-08'));
    run = runOf(document);
    // The evaluation lands on the step-2 point instead of adding a second point at step 2.
    assert.equal(run.metricsHistory.length, 2);
    assert.equal(run.metricsHistory[1].valid?.exactMatch, 0.25);
    assert.deepEqual(run.samples, [{ source: 'march 3 2021', reference: '2021-03-03', prediction: '2021-03-08' }]);
    // And it survives a save in the middle of the run.
    const reread = parseLog(writeLog(document));
    assert.ok(reread.ok);
    assert.deepEqual(runOf(reread.document), run);
  });

  it('does not change its input, and returns the same document when nothing changes', () => {
    const before = updateRun(withNoteAndRun(), RUN, startEvent(RUN, 20));
    const snapshot = JSON.stringify(before);
    updateRun(before, RUN, stepEvent(1, 2));
    assert.equal(JSON.stringify(before), snapshot);
    assert.equal(updateRun(before, RUN, { kind: 'log', level: 'info', message: 'x' }), before);
    assert.equal(updateRun(before, 'runs/other', stepEvent(1, 2)), before);
  });

  it('keeps a NaN loss out of the curves', () => {
    let document = updateRun(withNoteAndRun(), RUN, startEvent(RUN, 20));
    document = updateRun(document, RUN, stepEvent(1, 2));
    document = updateRun(document, RUN, stepEvent(2, NaN));
    const run = runOf(document);
    assert.equal(run.progress.step, 2);
    assert.equal(run.progress.smoothedLoss, 2);
    assert.equal(run.metricsHistory.length, 1);
    assert.ok(parseLog(writeLog(document)).ok);
  });

  it('records about 200 train points for a long run, every evaluation kept', () => {
    let document = updateRun(withNoteAndRun(), RUN, startEvent(RUN, 10000));
    for (let step = 1; step <= 10000; step++) {
      document = updateRun(document, RUN, stepEvent(step, 1, 10000));
      if (step % 1000 === 0) document = updateRun(document, RUN, evalEvent(step, 1, step / 10000, 1, 'x'));
    }
    const history = runOf(document).metricsHistory;
    assert.equal(history.filter(p => p.trainLoss !== undefined).length, 200);
    assert.equal(history.filter(p => p.valid).length, 10);
  });

  it('on resume, drops the points after the checkpoint it restarts from and continues the curve', () => {
    let document = updateRun(withNoteAndRun(), RUN, startEvent(RUN, 20));
    for (let step = 1; step <= 8; step++) document = updateRun(document, RUN, stepEvent(step, 1));
    document = setRunState(document, RUN, 'interrupted');
    assert.equal(runOf(document).state, 'interrupted');
    document = appendRun(document, { runDir: RUN, data: { task: 'dates' }, config: { ...DEFAULT_CONFIG }, startedAt: 'later' });
    assert.equal(document.cells.length, 2, 'resuming updates the same cell');
    document = updateRun(document, RUN, startEvent(RUN, 20, 5));
    document = updateRun(document, RUN, stepEvent(6, 1));
    assert.deepEqual(runOf(document).metricsHistory.map(p => p.step), [1, 2, 3, 4, 5, 6]);
    assert.equal(runOf(document).state, 'running');
    assert.equal(runOf(document).startedAt, '2025-01-01T00:00:00Z');
  });

  it('records the result when the run ends', () => {
    const document = finishRun(updateRun(withNoteAndRun(), RUN, startEvent(RUN, 20)), RUN, { ...result(RUN), metrics: { ...result(RUN).metrics, perplexity: Infinity } });
    const run = runOf(document);
    assert.equal(run.state, 'completed');
    assert.equal(run.progress.fractionDone, 1);
    assert.equal(run.result?.metrics.perplexity, null);
    assert.ok(parseLog(writeLog(document)).ok);
  });

  it('logs the error rates an engine sends, and none for an older engine that sends none', () => {
    const withRates = runOf(updateRun(withNoteAndRun(), RUN, evalEvent(2, 1, 0.6, 0.3, 'x'))).metricsHistory.at(-1)!.valid!;
    assert.equal(withRates.cer, 0.1);
    assert.equal(withRates.wer, 0.2);
    const older = evalEvent(2, 1, 0.6, 0.3, 'x') as Extract<ReturnType<typeof evalEvent>, { kind: 'eval' }>;
    const { cer: _cer, wer: _wer, ...coreOnly } = older.metrics;
    const document = updateRun(withNoteAndRun(), RUN, { ...older, metrics: coreOnly as typeof older.metrics });
    const valid = runOf(document).metricsHistory.at(-1)!.valid!;
    assert.ok(!('cer' in valid) && !('wer' in valid), 'absent, not null');
    const reparsed = parseLog(writeLog(document));
    assert.ok(reparsed.ok);
    assert.deepEqual(Buffer.from(writeLog(reparsed.document)), Buffer.from(writeLog(document)), 'saves back byte for byte');
  });

  it('appends runs one after the other to an empty log', () => {
    let document = emptyLog();
    for (const runDir of ['a', 'b']) document = appendRun(document, { runDir, data: { task: 'sort' }, config: {}, startedAt: 't' });
    assert.deepEqual(document.cells.map(c => c.kind === 'run' && c.runDir), ['a', 'b']);
  });
});

/**
 * A sweep's trials for its page: started trials from the experiments rows (pruned ones marked,
 * the newer run of a trial started twice), trials not started yet from the queue (running or
 * queued), other sweeps and plain runs left out; and the list of sweeps for "Show Sweep".
 */
import { strict as assert } from 'assert';
import type { QueuedRun } from '../../../../src/extension/queue/runQueue';
import { sweepIds, sweepPageData } from '../../../../src/extension/runs/sweepTrials';
import type { ExperimentRow } from '../../../../src/shared/experimentsTable';
import { cellValue, columnById, tableColumns } from '../../../../src/shared/experimentsTable';

function row(folder: string, sweep: ExperimentRow['sweep'], state: ExperimentRow['state'], loss?: number, pruned = false): ExperimentRow {
  return {
    runDir: `/runs/${folder}`, folder, name: folder, notes: '', starred: false, hidden: false, state, dataset: 'task dates',
    best: loss !== undefined ? { loss } : {}, final: {}, config: { hiddenSize: 8 }, ...(sweep ? { sweep } : {}), ...(pruned ? { pruned } : {}),
  };
}
const s1 = (trial: number, hiddenSize: number) => ({ id: 'sweep-1', trial, metric: 'loss' as const, settings: { hiddenSize, seed: 1 } });
const queued = (id: string, trial: number, hiddenSize: number): QueuedRun => ({ id, request: { task: 'dates', config: { hiddenSize } }, sweep: { id: 'sweep-1', trial, settings: { hiddenSize, seed: 1 } } });

describe('sweep trials for the sweep page', () => {
  // Newest first, as the run store lists them.
  const rows = [
    row('t1-again', s1(1, 16), 'completed', 0.4),
    row('t2', s1(2, 32), 'completed', 2.0, true),
    row('t1', s1(1, 16), 'failed'),
    row('t0', s1(0, 8), 'completed', 0.5),
    row('other', { id: 'sweep-0', trial: 0, metric: 'loss' }, 'completed', 0.1),
    row('plain', undefined, 'completed', 0.2),
  ];
  const queue = [queued('q3', 3, 64), queued('q4', 4, 128), queued('q2', 2, 32)];

  it('started trials from their rows, the rest from the queue, in trial order', () => {
    const data = sweepPageData('sweep-1', rows, queue, id => id === 'q3');
    assert.equal(data.metric, 'loss');
    assert.deepEqual(data.trials.map(t => [t.trial, t.state, t.metric, t.settings.hiddenSize, t.runDir]), [
      [0, 'completed', 0.5, 8, '/runs/t0'],
      [1, 'completed', 0.4, 16, '/runs/t1-again'],
      [2, 'pruned', 2.0, 32, '/runs/t2'],
      [3, 'running', undefined, 64, undefined],
      [4, 'queued', undefined, 128, undefined],
    ]);
  });

  it('lists the sweeps, newest first', () => {
    assert.deepEqual(sweepIds(rows, [{ id: 'q', request: { task: 'dates', config: {} }, sweep: { id: 'sweep-2', trial: 0 } }]), ['sweep-2', 'sweep-1', 'sweep-0']);
  });

  it('the experiments table shows a Sweep column only when a row is a sweep trial; it sorts and filters by "<id> #<trial>"', () => {
    const choice = { allHyperparameters: false, allMetrics: false };
    assert.ok(!tableColumns([rows[5]], choice).some(c => c.id === 'sweep'));
    const columns = tableColumns(rows, choice);
    assert.deepEqual(columns.slice(4, 7).map(c => c.id), ['dataset', 'sweep', 'created']);
    assert.equal(cellValue(rows[0], columnById('sweep')!), 'sweep-1 #2');
    assert.equal(cellValue(rows[5], columnById('sweep')!), undefined);
  });
});

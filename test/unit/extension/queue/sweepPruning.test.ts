/**
 * The median stopping rule of a sweep queued in VS Code, host side: the executor tells the
 * engine which sweep a trial belongs to and, with the rule on, the curves of the sweep's
 * completed trials (read from the runs directory: pruned trials, other sweeps and plain runs
 * left out); the engine's stopper built from that stops a trial reporting a bad curve, and
 * with the rule turned off in the form nothing stops it.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { completedSweepCurves, controllerExecutor, type QueueTrainer } from '../../../../src/extension/queue/executor';
import type { StartOptions, TrainOutcome } from '../../../../src/extension/training/trainingController';
import { CORE_METRIC_KEYS } from '../../../../src/shared/metrics';
import type { EvalMetrics, RunSweepRequest } from '../../../../src/shared/protocol';
import { sweepStopper } from '../../../../src/shared/pruning';

let runsDir: string;

/** A finished run directory: config.json (with its sweep), manifest, metrics.jsonl (loss per step) and result.json. */
function writeRun(name: string, losses: Array<[number, number]>, options: { sweep?: string; trial?: number; stopReason?: string; state?: string } = {}): void {
  const dir = path.join(runsDir, name);
  fs.mkdirSync(dir, { recursive: true });
  const sweep = options.sweep ? { sweep: { id: options.sweep, trial: options.trial ?? 0, metric: 'loss', pruning: true } } : {};
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ config: { hiddenSize: 8 }, data: { task: 'dates' }, engineVersion: '0.1.0', ...sweep }));
  const now = new Date().toISOString();
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ format: 1, state: options.state ?? 'completed', createdAt: now, updatedAt: now, backend: 'cpu', step: 30, epoch: 1, best: null }));
  const metrics = (loss: number) => Object.fromEntries(CORE_METRIC_KEYS.map(k => [k, k === 'loss' ? loss : 0.5]));
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), losses.map(([step, loss]) => JSON.stringify({ ...metrics(loss), step, epoch: 0, time: now, split: 'valid' })).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'result.json'), JSON.stringify({ state: 'completed', stopReason: options.stopReason ?? 'finished all epochs', metrics: metrics(losses[losses.length - 1][1]) }));
}

/** The controller stand-in: records what each start was asked. */
function fakeTrainer(): QueueTrainer & { starts: StartOptions[] } {
  const starts: StartOptions[] = [];
  return {
    starts,
    activeRunDirs: [],
    activeRunDir: '/runs/trial',
    whenOneEnds: async () => undefined,
    start: (_request, options = {}) => {
      starts.push(options);
      return new Promise<TrainOutcome>(() => undefined);
    },
    resume: async () => new Promise<TrainOutcome>(() => undefined),
  };
}

const evalMetrics = (loss: number) => Object.fromEntries(CORE_METRIC_KEYS.map(k => [k, k === 'loss' ? loss : 0.5])) as unknown as EvalMetrics;

/** Feeds the stopper the trial's evaluations; the first reason it gives (the run ends there), or undefined. */
function report(sweep: RunSweepRequest | undefined, curve: Array<[number, number]>): string | undefined {
  const stop = sweepStopper(sweep);
  for (const [step, loss] of curve) {
    const reason = stop?.(step, evalMetrics(loss));
    if (reason) return reason;
  }
  return undefined;
}

describe('median stopping rule of queued sweeps (host wiring)', () => {
  beforeEach(() => {
    runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-prune-'));
    for (let i = 0; i < 5; i++) writeRun(`s1-t${i}`, [[10, 1.0 + i * 0.01], [20, 0.5 + i * 0.01], [30, 0.3]], { sweep: 's1', trial: i });
    writeRun('s1-pruned', [[10, 9]], { sweep: 's1', trial: 5, stopReason: 'pruned at step 10: best loss 9 is worse than the median 1 of 5 completed trials there' });
    writeRun('s1-cancelled', [[10, 7]], { sweep: 's1', trial: 6, state: 'cancelled' });
    writeRun('s2-t0', [[10, 0.01]], { sweep: 's2' });
    writeRun('plain', [[10, 0.02]]);
  });
  afterEach(() => fs.rmSync(runsDir, { recursive: true, force: true }));

  it('reads the curves of the sweep\'s completed, unpruned trials only', async () => {
    const curves = await completedSweepCurves(runsDir, 's1', 'loss');
    assert.equal(curves.length, 5);
    assert.deepEqual(curves.map(c => c.map(([step]) => step)), Array(5).fill([10, 20, 30]));
    assert.deepEqual(curves.map(c => c[0][1]).sort(), [1.0, 1.01, 1.02, 1.03, 1.04]);
  });

  it('a queued trial reporting a bad curve is stopped at the evaluation where it is worse than the median', async () => {
    const trainer = fakeTrainer();
    const executor = controllerExecutor(trainer, () => runsDir, () => 1);
    await executor.start({ task: 'dates', config: {} }, { id: 's1', trial: 7 });
    const sweep = trainer.starts[0].extra?.sweep;
    assert.ok(sweep, 'the engine is told the sweep');
    assert.deepEqual({ id: sweep.id, trial: sweep.trial, metric: sweep.metric, pruning: sweep.pruning }, { id: 's1', trial: 7, metric: 'loss', pruning: true });
    assert.equal(sweep.completed!.length, 5);
    // Better than the median at step 10, worse at step 20: stopped there.
    const reason = report(sweep, [[10, 0.9], [20, 0.8], [30, 0.7]]);
    assert.match(reason ?? '', /^pruned at step 20: best loss 0\.8 is worse than the median 0\.52 of 5 completed trials there/);
    assert.equal(report(sweep, [[10, 0.9], [20, 0.4], [30, 0.2]]), undefined, 'a good curve runs to its end');
  });

  it('with the rule turned off (the form\'s checkbox) the same bad curve runs to its end', async () => {
    const trainer = fakeTrainer();
    const executor = controllerExecutor(trainer, () => runsDir, () => 1);
    await executor.start({ task: 'dates', config: {} }, { id: 's1', trial: 7, prune: false });
    const sweep = trainer.starts[0].extra?.sweep;
    assert.deepEqual(sweep, { id: 's1', trial: 7, metric: 'loss', pruning: false });
    assert.equal(sweepStopper(sweep), undefined);
    assert.equal(report(sweep, [[10, 5], [20, 5], [30, 5]]), undefined);
  });

  it('a run that is no sweep trial is started without sweep fields; the concurrency reaches the controller', async () => {
    const trainer = fakeTrainer();
    const executor = controllerExecutor(trainer, () => runsDir, () => 3);
    await executor.start({ task: 'dates', config: {} });
    assert.deepEqual(trainer.starts, [{ concurrency: 3 }]);
  });
});

/**
 * The training controller as the queue's executor, and what a sweep trial's run is told about
 * its sweep: its id and trial (recorded in the run's config.json) and, with the median
 * stopping rule on, the validation curves of the sweep's trials that completed before it —
 * the engine stops the trial at an evaluation worse than their median there
 * (src/shared/pruning.ts `sweepStopper`). No `vscode` here: unit-tested under Node.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import type { MetricKey } from '../../shared/metrics';
import type { RunSweepRequest } from '../../shared/protocol';
import { isPrunedReason, MEDIAN_RULE_DEFAULTS } from '../../shared/pruning';
import { RUN_FILES } from '../../shared/runDir';
import { DEFAULT_SWEEP_METRIC } from '../../shared/sweep';
import { loadRunSummary } from '../runs/summary';
import type { StartOptions, TrainingController } from '../training/trainingController';
import type { QueuedRun, QueueExecutor, StartedRun } from './runQueue';

/** The trials of sweep `id` in the runs directory (folders whose config.json names it). */
async function sweepRunDirs(runsDir: string, id: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await fsp.readdir(runsDir);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const name of entries) {
    const dir = path.join(runsDir, name);
    try {
      const saved = JSON.parse(await fsp.readFile(path.join(dir, RUN_FILES.config), 'utf8')) as { sweep?: { id?: unknown } };
      if (saved?.sweep?.id === id) found.push(dir);
    } catch {
      // Not a run, or one without a readable config.json: not a trial.
    }
  }
  return found;
}

/** The [step, value] validation curves of `metric` of the sweep's completed, unpruned trials. */
export async function completedSweepCurves(runsDir: string, id: string, metric: MetricKey): Promise<Array<Array<[number, number]>>> {
  const curves: Array<Array<[number, number]>> = [];
  for (const dir of await sweepRunDirs(runsDir, id)) {
    const summary = await loadRunSummary(dir);
    if (summary.state !== 'completed' || isPrunedReason(summary.stopReason)) continue;
    curves.push(summary.curves.map(point => [point.step, point.metrics[metric]]));
  }
  return curves;
}

/** What the engine is told about a queued sweep trial (the rule's curves only when it is on). */
export async function sweepRequest(runsDir: string, sweep: NonNullable<QueuedRun['sweep']>): Promise<RunSweepRequest> {
  const metric = sweep.metric ?? DEFAULT_SWEEP_METRIC;
  const pruning = sweep.prune !== false;
  const request: RunSweepRequest = { id: sweep.id, trial: sweep.trial, metric, pruning, ...(sweep.settings ? { settings: sweep.settings } : {}) };
  if (pruning) {
    request.completed = await completedSweepCurves(runsDir, sweep.id, metric);
    request.rule = { ...MEDIAN_RULE_DEFAULTS };
  }
  return request;
}

/** The controller as the queue sees it. */
export type QueueTrainer = Pick<TrainingController, 'activeRunDirs' | 'activeRunDir' | 'whenOneEnds' | 'start' | 'resume'>;

/**
 * The training controller as the queue's executor: a run is ok when it completed; up to
 * `concurrency()` of them train at once (each beyond the first in an engine process of its own).
 */
export function controllerExecutor(training: QueueTrainer, runsDirectory: () => string, concurrency: () => number): QueueExecutor {
  const started = (runDir: string, done: ReturnType<TrainingController['start']>): StartedRun => ({
    runDir,
    done: done.then(outcome => outcome.result?.state === 'completed'
      ? { ok: true }
      : { ok: false, error: outcome.result ? `${outcome.result.state}: ${outcome.result.stopReason}` : String((outcome.error as Error)?.message ?? outcome.error) }),
  });
  const options = async (sweep: QueuedRun['sweep']): Promise<StartOptions> => ({
    concurrency: concurrency(),
    ...(sweep ? { extra: { sweep: await sweepRequest(runsDirectory(), sweep) } } : {}),
  });
  return {
    active: () => training.activeRunDirs.length,
    whenOneEnds: () => training.whenOneEnds(),
    start: async (request, sweep) => {
      const opts = await options(sweep);
      const done = training.start(request, opts); // throws at once when no slot is free
      return started(training.activeRunDir!, done);
    },
    resume: async (runDir, sweep) => {
      try {
        await fsp.access(path.join(runDir, RUN_FILES.manifest));
      } catch {
        return undefined;
      }
      return started(path.resolve(runDir), training.resume(runDir, await options(sweep)));
    },
  };
}

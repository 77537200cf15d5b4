/**
 * A sweep's trials for its page: the experiments table's rows of its runs (config.json's
 * `sweep`), and the queue's items of trials not started yet. No `vscode`: unit-tested under Node.
 */
import type { ExperimentRow } from '../../shared/experimentsTable';
import type { MetricKey } from '../../shared/metrics';
import { DEFAULT_SWEEP_METRIC } from '../../shared/sweep';
import type { SweepPageData, SweepPageTrial } from '../../shared/sweepPage';
import type { QueuedRun } from '../queue/runQueue';

/** Every sweep id among the runs and the queue, newest first (ids carry their creation time). */
export function sweepIds(rows: readonly ExperimentRow[], queued: readonly QueuedRun[]): string[] {
  const ids = new Set<string>();
  for (const row of rows) if (row.sweep) ids.add(row.sweep.id);
  for (const item of queued) if (item.sweep) ids.add(item.sweep.id);
  return [...ids].sort().reverse();
}

/** The page's data of sweep `id`: started trials from their rows (newest first, as the run store lists them), the others from the queue, in trial order. */
export function sweepPageData(id: string, rows: readonly ExperimentRow[], queued: readonly QueuedRun[], isRunning: (queueId: string) => boolean): SweepPageData {
  const trials = new Map<number, SweepPageTrial>();
  let metric: MetricKey | undefined;
  for (const row of rows) {
    if (row.sweep?.id !== id) continue;
    metric ??= row.sweep.metric;
    const state: SweepPageTrial['state'] = row.pruned ? 'pruned' : row.state === 'damaged' ? 'failed' : row.state;
    const value = row.best[row.sweep.metric];
    // A trial run twice: the rows come newest first, and the newer run speaks for it.
    if (trials.has(row.sweep.trial)) continue;
    trials.set(row.sweep.trial, {
      trial: row.sweep.trial, state, settings: row.sweep.settings ?? {}, runDir: row.runDir, name: row.name,
      ...(value !== undefined && Number.isFinite(value) ? { metric: value } : {}),
    });
  }
  for (const item of queued) {
    if (item.sweep?.id !== id) continue;
    metric ??= item.sweep.metric;
    if (trials.has(item.sweep.trial)) continue;
    trials.set(item.sweep.trial, { trial: item.sweep.trial, state: isRunning(item.id) ? 'running' : 'queued', settings: item.sweep.settings ?? {} });
  }
  return { id, metric: metric ?? DEFAULT_SWEEP_METRIC, trials: [...trials.values()].sort((a, b) => a.trial - b.trial) };
}

/**
 * Runs a sweep's trials one after another, each a normal run directory under the sweep's
 * folder (`trial-001`, …), with the median stopping rule (src/shared/pruning.ts) watching each
 * evaluation. `sweep.json` in the folder is rewritten atomically after every trial and
 * evaluation, so a reader (the extension's sweep page, a script) always sees a whole summary.
 * A trial that fails is recorded and the sweep goes on; cancelling stops the running trial
 * (it is checkpointed, as any run) and the sweep.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Seq2SeqConfig } from '../shared/config';
import { metricDefinition, MetricKey } from '../shared/metrics';
import type { ProgressEvent } from '../shared/protocol';
import { Curve, isPrunedReason, medianPruneReason, MedianRuleOptions } from '../shared/pruning';
import { summarizeSweep, SweepSummary, SweepTrial, SweepTrialResult } from '../shared/sweep';
import { writeFileAtomic } from '../shared/io/atomic';
import type { DataChoice } from '../shared/dataChoice';
import { trainRun } from './train/trainer';

export const SWEEP_FILE = 'sweep.json';

export interface SweepOptions {
  outDir: string;
  data: DataChoice;
  /** Settings every trial shares (a trial's swept settings go over them). */
  base: Partial<Seq2SeqConfig>;
  trials: readonly SweepTrial[];
  /** The validation metric the median rule and the summary compare. */
  metric: MetricKey;
  /** The median rule's options; undefined turns it off. */
  prune?: MedianRuleOptions;
  backend: string;
  onProgress?: (trial: SweepTrial, event: ProgressEvent) => void;
  onTrialEnd?: (result: SweepTrialResult) => void;
  isCancelled?: () => boolean;
}

/** The folder of trial `index` (1-based, zero-padded so a listing sorts in order). */
export function trialDirectory(outDir: string, index: number): string {
  return path.join(outDir, `trial-${String(index + 1).padStart(3, '0')}`);
}

export async function runSweep(options: SweepOptions): Promise<SweepSummary> {
  const file = path.join(options.outDir, SWEEP_FILE);
  if (fs.existsSync(file)) throw new Error(`${options.outDir} already holds a sweep; choose another --out`);
  fs.mkdirSync(options.outDir, { recursive: true });
  const results: SweepTrialResult[] = options.trials.map(t => ({ ...t, state: 'queued' }));
  const completedCurves: Curve[] = [];
  const save = () => writeFileAtomic(file, JSON.stringify({ data: options.data, base: options.base, prune: options.prune ?? null, ...summarizeSweep(options.metric, results) }, null, 1) + '\n');
  save();
  for (const [i, trial] of options.trials.entries()) {
    if (options.isCancelled?.()) break;
    const runDir = trialDirectory(options.outDir, trial.index);
    const curve = new Map<number, number>();
    const result = results[i];
    Object.assign(result, { state: 'running', run: runDir });
    save();
    try {
      const trained = await trainRun({
        runDir, data: options.data, config: { ...options.base, ...trial.settings }, backend: options.backend,
        onProgress: event => options.onProgress?.(trial, event),
        isCancelled: options.isCancelled,
        stopAfterEvaluation: (step, metrics) => {
          curve.set(step, metrics[options.metric]);
          result.metric = bestOf(curve, options.metric);
          save();
          return options.prune ? medianPruneReason(curve, step, completedCurves, options.metric, options.prune) : undefined;
        },
      });
      const pruned = isPrunedReason(trained.stopReason);
      Object.assign(result, { state: pruned ? 'pruned' : trained.state, stopReason: trained.stopReason, steps: trained.steps, seconds: trained.seconds, test: trained.metrics });
      if (trained.state === 'completed' && !pruned) completedCurves.push(curve);
    } catch (error) {
      Object.assign(result, { state: 'failed', error: (error as Error).message.split('\n')[0] });
    }
    save();
    options.onTrialEnd?.(result);
  }
  return summarizeSweep(options.metric, results);
}

/** The best finite value of a curve in the metric's direction. */
function bestOf(curve: Curve, metric: MetricKey): number | undefined {
  const values = [...curve.values()].filter(Number.isFinite);
  if (values.length === 0) return undefined;
  return metricDefinition(metric)?.lowerIsBetter ? Math.min(...values) : Math.max(...values);
}

/**
 * The median stopping rule of a sweep, with the semantics of Optuna's `MedianPruner`
 * (its default pruner; PercentilePruner at the 50th percentile):
 *
 * - no pruning until `nStartupTrials` trials of the sweep have *completed* (pruned ones do not count);
 * - no pruning at steps below `nWarmupSteps`;
 * - at a step, the trial's best value so far (over all its evaluations up to now) is compared
 *   with the median of the values that the completed trials reported at that same step
 *   (trials without a value there are left out; fewer than `nMinTrials` of them: no pruning);
 * - it is pruned when that best is strictly worse than the median, in the metric's direction
 *   (`lowerIsBetter` from src/shared/metrics.ts); a trial whose values are all NaN is pruned.
 *
 * Pure: the CLI's sweep and the extension's queue use the same function.
 */
import { metricDefinition, MetricKey } from './metrics';
import type { EvalMetrics, RunSweepRequest } from './protocol';

/** One trial's intermediate values: evaluation step → validation value of the sweep's metric. */
export type Curve = ReadonlyMap<number, number>;

export interface MedianRuleOptions {
  /** Completed trials needed before any pruning (Optuna: 5). */
  nStartupTrials: number;
  /** Steps below this are never pruned (Optuna: 0). */
  nWarmupSteps: number;
  /** Completed trials with a value at the step needed to compare (Optuna: 1). */
  nMinTrials: number;
}

export const MEDIAN_RULE_DEFAULTS: Readonly<MedianRuleOptions> = Object.freeze({ nStartupTrials: 5, nWarmupSteps: 0, nMinTrials: 1 });

/** The median of the values (average of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter(v => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Whether the trial with `current` values, just evaluated at `step`, should stop, given the
 * curves of the sweep's completed trials. Returns the reason in words, or undefined to go on.
 */
export function medianPruneReason(
  current: Curve,
  step: number,
  completed: readonly Curve[],
  metric: MetricKey,
  options: MedianRuleOptions = MEDIAN_RULE_DEFAULTS,
): string | undefined {
  if (completed.length < options.nStartupTrials) return undefined;
  if (step < options.nWarmupSteps) return undefined;
  const lowerIsBetter = metricDefinition(metric)?.lowerIsBetter ?? false;
  const own = [...current].filter(([s]) => s <= step).map(([, v]) => v).filter(v => !Number.isNaN(v));
  if (own.length === 0) return `pruned at step ${step}: no valid ${metric} value yet`;
  const best = lowerIsBetter ? Math.min(...own) : Math.max(...own);
  const others = completed.map(c => c.get(step)).filter((v): v is number => v !== undefined && !Number.isNaN(v));
  if (others.length === 0 || others.length < options.nMinTrials) return undefined;
  const mid = median(others);
  const worse = lowerIsBetter ? best > mid : best < mid;
  return worse ? `pruned at step ${step}: best ${metric} ${round(best)} is worse than the median ${round(mid)} of ${others.length} completed trials there` : undefined;
}

function round(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

/** Is this stop reason the median rule's (the trial was pruned)? */
export function isPrunedReason(stopReason: string | undefined): boolean {
  return typeof stopReason === 'string' && stopReason.startsWith('pruned at step');
}

/**
 * The engine's check after each evaluation of a sweep trial started by the extension's queue:
 * the median rule against the curves of the trials that completed before it (sent by the
 * host), or undefined when the run is no sweep trial or the rule is off for its sweep.
 */
export function sweepStopper(sweep: RunSweepRequest | undefined): ((step: number, metrics: EvalMetrics) => string | undefined) | undefined {
  if (!sweep?.pruning) return undefined;
  const completed: Curve[] = (sweep.completed ?? []).map(points => new Map(points));
  const options = sweep.rule ?? MEDIAN_RULE_DEFAULTS;
  const curve = new Map<number, number>();
  return (step, metrics) => {
    curve.set(step, metrics[sweep.metric]);
    return medianPruneReason(curve, step, completed, sweep.metric, options);
  };
}

/**
 * The sweep page: what the host sends (a sweep's trials, run or queued), the messages back,
 * and the pure model the webview draws from — progress counts, the axes of the
 * parallel-coordinates plot (each swept setting that varies, then the metric), each trial's
 * position on them, trials grouped by setting (seeds pooled: mean ± std), the best trial, and
 * the points of "metric vs one setting". No DOM, no `vscode`: unit-tested under Node.
 */
import type { HyperparameterValue } from './experimentsTable';
import type { L10nBundle } from './l10nBundle';
import { metricDefinition, type MetricKey } from './metrics';
import { meanStd, type SweepTrialState } from './sweep';
import { describe, extraKey, fail, isRecord, isShortString, MAX_STRING, ok, type Parsed } from './validation';

export const SWEEP_VIEW_TYPE = 'seq2seqLab.sweep';

/** One trial as the page shows it. */
export interface SweepPageTrial {
  /** 0-based trial index in the sweep. */
  trial: number;
  state: SweepTrialState;
  /** The trial's swept settings (seed included). */
  settings: Record<string, HyperparameterValue>;
  /** Best validation value of the sweep's metric so far (runs only). */
  metric?: number;
  /** The run directory, once the trial started. */
  runDir?: string;
  /** The run's name (annotations) or folder. */
  name?: string;
}

export interface SweepPageData {
  id: string;
  metric: MetricKey;
  trials: SweepPageTrial[];
}

/** host → sweep page */
export type HostToSweepMessage =
  | { type: 'sweep'; sweep: SweepPageData; trusted: boolean; l10n?: L10nBundle }
  | { type: 'failed'; message: string };

/** sweep page → host */
export type SweepToHostMessage =
  | { type: 'ready' }
  /** A trial's dashboard. */
  | { type: 'open'; runDir: string }
  /** Queue a run with this (the best) trial's data and settings. */
  | { type: 'trainBest'; runDir: string }
  | { type: 'error'; message: string };

/** What the page keeps with setState (restored after a reload). */
export interface SweepState {
  sweepId: string;
  /** The setting of the "metric vs" chart. */
  x?: string;
}

const FIELDS: Record<SweepToHostMessage['type'], readonly string[]> = { ready: [], open: ['runDir'], trainBest: ['runDir'], error: ['message'] };

export function parseSweepMessage(x: unknown): Parsed<SweepToHostMessage> {
  if (!isRecord(x)) return fail(`message must be an object (got ${describe(x)})`);
  const type = x.type;
  if (typeof type !== 'string' || !(type in FIELDS)) return fail(`unknown message type ${JSON.stringify(String(type).slice(0, 64))}`);
  const t = type as SweepToHostMessage['type'];
  const extra = extraKey(x, ['type', ...FIELDS[t]]);
  if (extra) return fail(`unexpected field "${extra.slice(0, 64)}" in ${t}`);
  switch (t) {
    case 'ready': return ok({ type: 'ready' });
    case 'open':
    case 'trainBest':
      if (typeof x.runDir !== 'string' || x.runDir.length === 0 || x.runDir.length > MAX_STRING) return fail(`${t}.runDir must be a non-empty string`);
      return ok({ type: t, runDir: x.runDir });
    case 'error':
      if (!isShortString(x.message)) return fail('error.message must be a string of at most 4096 characters');
      return ok({ type: 'error', message: x.message });
  }
}

export function parseSweepState(x: unknown): Parsed<SweepState> {
  if (!isRecord(x) || !isShortString(x.sweepId, 200) || x.sweepId.length === 0) return fail('state.sweepId must be a sweep id');
  return ok({ sweepId: x.sweepId, ...(isShortString(x.x, 100) ? { x: x.x } : {}) });
}

// ---------------------------------------------------------------------------------------------
// Progress.

export interface SweepProgress {
  total: number;
  completed: number;
  running: number;
  queued: number;
  pruned: number;
  /** Failed, cancelled or interrupted. */
  other: number;
}

export function sweepProgress(trials: readonly SweepPageTrial[]): SweepProgress {
  const count = (...states: SweepTrialState[]) => trials.filter(t => states.includes(t.state)).length;
  return {
    total: trials.length, completed: count('completed'), running: count('running'), queued: count('queued'), pruned: count('pruned'),
    other: count('failed', 'cancelled', 'interrupted'),
  };
}

// ---------------------------------------------------------------------------------------------
// Axes.

export type SweepAxis =
  | { key: string; kind: 'number'; min: number; max: number; log: boolean }
  | { key: string; kind: 'category'; values: string[] };

const text = (value: HyperparameterValue | undefined) => (value === undefined ? '—' : String(value));

/**
 * The swept settings that vary between the trials (the seed, which only repeats a setting, left
 * out), in the order they first appear. A numeric axis is logarithmic when its values are
 * positive and span at least a factor of 20.
 */
export function settingAxes(trials: readonly SweepPageTrial[]): SweepAxis[] {
  const keys: string[] = [];
  for (const trial of trials) for (const key of Object.keys(trial.settings)) if (key !== 'seed' && !keys.includes(key)) keys.push(key);
  const axes: SweepAxis[] = [];
  for (const key of keys) {
    const values = trials.map(t => t.settings[key]);
    if (new Set(values.map(text)).size < 2) continue;
    if (values.every(v => typeof v === 'number' && Number.isFinite(v))) {
      const numbers = values as number[];
      const min = Math.min(...numbers);
      const max = Math.max(...numbers);
      axes.push({ key, kind: 'number', min, max, log: min > 0 && max / min >= 20 });
    } else {
      axes.push({ key, kind: 'category', values: [...new Set(values.map(text))] });
    }
  }
  return axes;
}

/** The metric's axis over the trials that have a value: its range (a single value gets ±0.5 %). */
export function metricRange(trials: readonly SweepPageTrial[]): { min: number; max: number } | undefined {
  const values = trials.map(t => t.metric).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (values.length === 0) return undefined;
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (min === max) {
    const pad = Math.abs(min) * 0.005 || 0.005;
    return { min: min - pad, max: max + pad };
  }
  return { min, max };
}

/** Where a value sits on an axis, 0 (bottom) to 1 (top); a category's values are spread evenly. undefined when it is not on the axis. */
export function axisPosition(axis: SweepAxis, value: HyperparameterValue | undefined): number | undefined {
  if (axis.kind === 'category') {
    const index = axis.values.indexOf(text(value));
    if (index < 0) return undefined;
    return axis.values.length === 1 ? 0.5 : index / (axis.values.length - 1);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  if (axis.max === axis.min) return 0.5;
  if (axis.log) return (Math.log(value) - Math.log(axis.min)) / (Math.log(axis.max) - Math.log(axis.min));
  return (value - axis.min) / (axis.max - axis.min);
}

/** 0 for the worst metric value shown, 1 for the best (the metric's own direction): the line's colour. */
export function metricQuality(metric: MetricKey, value: number, range: { min: number; max: number }): number {
  const span = range.max - range.min;
  const up = span > 0 ? (value - range.min) / span : 0.5;
  return metricDefinition(metric)?.lowerIsBetter ? 1 - up : up;
}

/** One polyline of the parallel-coordinates plot: a trial's position on every setting axis, then on the metric axis (undefined without a value yet). */
export interface ParallelLine {
  trial: SweepPageTrial;
  positions: Array<number | undefined>;
  metricPosition?: number;
  /** 0 worst … 1 best. */
  quality?: number;
}

export function parallelLines(trials: readonly SweepPageTrial[], axes: readonly SweepAxis[], metric: MetricKey): ParallelLine[] {
  const range = metricRange(trials);
  return trials.map(trial => {
    const line: ParallelLine = { trial, positions: axes.map(axis => axisPosition(axis, trial.settings[axis.key])) };
    if (range && trial.metric !== undefined && Number.isFinite(trial.metric)) {
      line.metricPosition = (trial.metric - range.min) / (range.max - range.min);
      line.quality = metricQuality(metric, trial.metric, range);
    }
    return line;
  });
}

// ---------------------------------------------------------------------------------------------
// Groups, the best trial, metric vs a setting.

/** The trials that share every swept setting but the seed. */
export interface SettingGroup {
  settings: Record<string, HyperparameterValue>;
  trials: SweepPageTrial[];
  /** Over the completed trials' metric (pruned ones stopped early and are not compared). */
  mean?: number;
  std?: number;
  n: number;
}

/** The setting of a trial without its seed, as a stable key. */
function settingKey(settings: Record<string, HyperparameterValue>): string {
  return JSON.stringify(Object.keys(settings).filter(k => k !== 'seed').sort().map(k => [k, settings[k]]));
}

export function settingGroups(trials: readonly SweepPageTrial[]): SettingGroup[] {
  const groups = new Map<string, SettingGroup>();
  for (const trial of trials) {
    const key = settingKey(trial.settings);
    let group = groups.get(key);
    if (!group) {
      const { seed: _seed, ...settings } = trial.settings;
      group = { settings, trials: [], n: 0 };
      groups.set(key, group);
    }
    group.trials.push(trial);
  }
  for (const group of groups.values()) {
    const stats = meanStd(group.trials.filter(t => t.state === 'completed' && t.metric !== undefined).map(t => t.metric!));
    if (stats) Object.assign(group, { mean: stats.mean, std: stats.std, n: stats.n });
  }
  return [...groups.values()];
}

/**
 * The best completed trial: in the setting with the best mean over its seeds, the seed with the
 * best metric (the metric's direction). undefined while no trial completed.
 */
export function bestTrial(trials: readonly SweepPageTrial[], metric: MetricKey): { group: SettingGroup; trial: SweepPageTrial } | undefined {
  const lower = metricDefinition(metric)?.lowerIsBetter ?? false;
  const better = (a: number, b: number) => (lower ? a < b : a > b);
  let best: SettingGroup | undefined;
  for (const group of settingGroups(trials)) if (group.mean !== undefined && (!best || better(group.mean, best.mean!))) best = group;
  if (!best) return undefined;
  let trial: SweepPageTrial | undefined;
  for (const t of best.trials) if (t.state === 'completed' && t.metric !== undefined && t.runDir && (!trial || better(t.metric, trial.metric!))) trial = t;
  return trial ? { group: best, trial } : undefined;
}

/** "metric vs one setting": each run's point, and each setting's mean ± std over its seeds (x: the number, or the category's index). */
export interface MetricVsSetting {
  axis: SweepAxis;
  points: Array<{ x: number; y: number; trial: number }>;
  means: Array<{ x: number; mean: number; std: number; n: number; settings: Record<string, HyperparameterValue> }>;
}

export function metricVsSetting(trials: readonly SweepPageTrial[], axis: SweepAxis): MetricVsSetting {
  const xOf = (value: HyperparameterValue | undefined): number | undefined => {
    if (axis.kind === 'category') {
      const index = axis.values.indexOf(text(value));
      return index < 0 ? undefined : index;
    }
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  };
  const points: MetricVsSetting['points'] = [];
  for (const trial of trials) {
    const x = xOf(trial.settings[axis.key]);
    if (x !== undefined && trial.metric !== undefined && Number.isFinite(trial.metric)) points.push({ x, y: trial.metric, trial: trial.trial });
  }
  const means: MetricVsSetting['means'] = [];
  for (const group of settingGroups(trials)) {
    const x = xOf(group.settings[axis.key]);
    if (x !== undefined && group.mean !== undefined) means.push({ x, mean: group.mean, std: group.std!, n: group.n, settings: group.settings });
  }
  means.sort((a, b) => a.x - b.x);
  return { axis, points, means };
}

/**
 * Hyperparameter sweeps: what a swept field's text means and which trials a sweep runs.
 *
 * A numeric field takes a list (`64, 128, 256`) or a range (`1e-4 .. 1e-2, log, 6 values`:
 * linear or log spacing, the number of values; an int range without a count is every whole
 * number in it); a choice or on/off field takes several values (`lstm, gru`). A sweep is the
 * grid of all combinations or N random samples (seeded: ranges drawn uniformly, log-uniformly
 * for `log`), each repeated with `seeds` consecutive seeds. Every value is checked against its
 * field in CONFIG_FIELDS, so a sweep never queues a trial the engine would refuse.
 *
 * Pure (no vscode, no DOM, no TensorFlow): the CLI, the host and the form all use it.
 */
import { checkField, FieldSpec, fieldSpec, formatMessage, MessageFormat, Seq2SeqConfig, validateConfig } from './config';
import { metricDefinition, MetricKey } from './metrics';
import type { EvalMetrics } from './protocol';

export type SweepValue = number | string | boolean;

/** One swept field: a fixed list of values, or a range (sampled in random mode, spaced in a grid). */
export type SweepAxis =
  | { key: keyof Seq2SeqConfig; kind: 'list'; values: SweepValue[] }
  | { key: keyof Seq2SeqConfig; kind: 'range'; min: number; max: number; scale: 'linear' | 'log'; count: number; integer: boolean; values: number[] };

export interface SweepPlan {
  axes: SweepAxis[];
  /** `grid`: every combination; `random`: `samples` draws. */
  mode: 'grid' | 'random';
  /** Draws in random mode. */
  samples?: number;
  /** Seed of the random draws. */
  samplingSeed?: number;
  /** Each setting is trained this many times, with seeds base, base+1, … (1 = once). */
  seeds: number;
  /** The first seed (the config's seed). */
  baseSeed: number;
}

/** One run of a sweep: the swept settings and its seed; `group` is the same for all seeds of one setting. */
export interface SweepTrial {
  index: number;
  group: number;
  settings: Partial<Seq2SeqConfig>;
  seed: number;
}

/** Largest number of trials one sweep may have (a typo like `1 .. 100000` fails instead of queueing forever). */
export const MAX_SWEEP_TRIALS = 500;

/** The validation metric a sweep compares unless told otherwise (the CLI's `--metric`, the queue's sweeps). */
export const DEFAULT_SWEEP_METRIC: MetricKey = 'loss';

/** Largest `N values` of one range. */
const MAX_RANGE_VALUES = 100;

export const SWEEP_MESSAGES = {
  empty: '{0}: no values given',
  rangeSyntax: '{0}: a range is "A .. B", then optionally ", log" and ", N values" (got "{1}")',
  rangeOrder: '{0}: the range must go from a smaller to a larger value (got {1} .. {2})',
  rangeCount: '{0}: a range needs between 2 and {1} values (got {2})',
  rangeNeedsCount: '{0}: a range of a decimal setting needs ", N values"',
  logNeedsPositive: '{0}: a log range needs values above 0',
  notSweepable: '{0} cannot take a range (only numeric settings can)',
  duplicate: '{0}: {1} is given twice',
  tooManyTrials: 'the sweep would run {0} trials; at most {1} are allowed (fewer values, or random samples)',
  seedSwept: 'seed cannot be swept together with repeated seeds (use one or the other)',
  seedsRange: 'seeds must be a whole number from 1 to 100 (got {0})',
  samplesRange: 'random samples must be a whole number from 1 to {0} (got {1})',
  nothingSwept: 'nothing is swept: give some setting several values or a range',
  trialInvalid: 'trial {0} ({1})',
} as const;

export class SweepError extends Error {}

/** True when `text` asks for more than one value (a list or a range), i.e. the field is swept. */
export function isSweepText(text: string): boolean {
  return /,|\.\./.test(text);
}

const RANGE = /^\s*([^\s.,][^,]*?)\s*\.\.\s*([^,]+?)\s*((?:,\s*[^,]+\s*)*)$/;

/**
 * Parses a field's text into a sweep axis; throws SweepError with a message a user can act on.
 * A single value is an axis of one value (not swept).
 */
export function parseAxis(key: string, text: string, format: MessageFormat = formatMessage): SweepAxis {
  const spec = fieldSpec(key);
  if (!spec) throw new SweepError(`unknown setting "${key}"`);
  const trimmed = text.trim();
  if (trimmed === '') throw new SweepError(format(SWEEP_MESSAGES.empty, key));
  if (trimmed.includes('..')) return parseRange(spec, trimmed, format);
  const values = trimmed.split(',').map(part => part.trim());
  if (values.some(v => v === '')) throw new SweepError(format(SWEEP_MESSAGES.empty, key));
  const parsed = values.map(raw => parseValue(spec, raw, format));
  const seen = new Set<string>();
  for (const value of parsed) {
    if (seen.has(String(value))) throw new SweepError(format(SWEEP_MESSAGES.duplicate, key, String(value)));
    seen.add(String(value));
  }
  return { key: spec.key, kind: 'list', values: parsed };
}

function parseValue(spec: FieldSpec, raw: string, format: MessageFormat): SweepValue {
  let value: SweepValue = raw;
  if (spec.type === 'int' || spec.type === 'float') value = raw === '' ? NaN : Number(raw);
  else if (spec.type === 'bool') value = raw === 'true' ? true : raw === 'false' ? false : raw;
  const problem = checkField(spec, value, format);
  if (problem) throw new SweepError(problem);
  return value;
}

function parseRange(spec: FieldSpec, text: string, format: MessageFormat): SweepAxis {
  if (spec.type !== 'int' && spec.type !== 'float') throw new SweepError(format(SWEEP_MESSAGES.notSweepable, spec.key));
  const match = RANGE.exec(text);
  if (!match) throw new SweepError(format(SWEEP_MESSAGES.rangeSyntax, spec.key, text));
  const min = parseValue(spec, match[1], format) as number;
  const max = parseValue(spec, match[2], format) as number;
  if (!(min < max)) throw new SweepError(format(SWEEP_MESSAGES.rangeOrder, spec.key, min, max));
  let scale: 'linear' | 'log' = 'linear';
  let count: number | undefined;
  for (const option of match[3].split(',').map(s => s.trim()).filter(Boolean)) {
    const countMatch = /^(\d+)\s*values?$/.exec(option);
    if (option === 'log' || option === 'linear') scale = option;
    else if (countMatch) count = Number(countMatch[1]);
    else throw new SweepError(format(SWEEP_MESSAGES.rangeSyntax, spec.key, text));
  }
  if (scale === 'log' && min <= 0) throw new SweepError(format(SWEEP_MESSAGES.logNeedsPositive, spec.key));
  const integer = spec.type === 'int';
  if (count === undefined) {
    if (!integer || scale === 'log') throw new SweepError(format(SWEEP_MESSAGES.rangeNeedsCount, spec.key));
    count = max - min + 1;
  }
  if (count < 2 || count > MAX_RANGE_VALUES) throw new SweepError(format(SWEEP_MESSAGES.rangeCount, spec.key, MAX_RANGE_VALUES, count));
  return { key: spec.key, kind: 'range', min, max, scale, count, integer, values: spacedValues(min, max, scale, count, integer) };
}

/** `count` values from min to max, both included, evenly spaced (in log space for `log`); ints rounded and deduplicated. */
export function spacedValues(min: number, max: number, scale: 'linear' | 'log', count: number, integer: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = i / (count - 1);
    let value = scale === 'log' ? Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min))) : min + t * (max - min);
    if (i === 0) value = min;
    if (i === count - 1) value = max;
    value = integer ? Math.round(value) : Number(value.toPrecision(12));
    if (!out.includes(value)) out.push(value);
  }
  return out;
}

/** A small seeded generator (mulberry32): the same sampling seed gives the same random sweep everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function drawValue(axis: SweepAxis, random: () => number): SweepValue {
  if (axis.kind === 'list') return axis.values[Math.floor(random() * axis.values.length)];
  const u = random();
  if (axis.integer) {
    // As Optuna's int distributions: uniform (log: log-uniform) over [min − ½, max + ½], rounded.
    // A log int range has min ≥ 1, so min − ½ > 0.
    const [lo, hi] = [axis.min - 0.5, axis.max + 0.5];
    const x = axis.scale === 'log' ? Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))) : lo + u * (hi - lo);
    return Math.min(axis.max, Math.max(axis.min, Math.round(x)));
  }
  const value = axis.scale === 'log' ? Math.exp(Math.log(axis.min) + u * (Math.log(axis.max) - Math.log(axis.min))) : axis.min + u * (axis.max - axis.min);
  return Number(value.toPrecision(6));
}

/** The number of distinct settings a grid over these axes has. */
export function gridSize(axes: readonly SweepAxis[]): number {
  return axes.reduce((n, axis) => n * axis.values.length, 1);
}

/** Checks a plan's counts; throws SweepError. */
export function checkPlan(plan: SweepPlan, format: MessageFormat = formatMessage): void {
  if (!Number.isInteger(plan.seeds) || plan.seeds < 1 || plan.seeds > 100) throw new SweepError(format(SWEEP_MESSAGES.seedsRange, plan.seeds));
  if (plan.seeds > 1 && plan.axes.some(a => a.key === 'seed' && a.values.length > 1)) throw new SweepError(format(SWEEP_MESSAGES.seedSwept));
  const keys = new Set<string>();
  for (const axis of plan.axes) {
    if (keys.has(axis.key)) throw new SweepError(format(SWEEP_MESSAGES.duplicate, 'sweep', axis.key));
    keys.add(axis.key);
  }
  let settings: number;
  if (plan.mode === 'random') {
    const samples = plan.samples ?? 0;
    if (!Number.isInteger(samples) || samples < 1 || samples > MAX_SWEEP_TRIALS) throw new SweepError(format(SWEEP_MESSAGES.samplesRange, MAX_SWEEP_TRIALS, samples));
    settings = samples;
  } else {
    settings = gridSize(plan.axes);
  }
  const varies = plan.axes.some(a => a.values.length > 1) || plan.seeds > 1;
  if (!varies) throw new SweepError(format(SWEEP_MESSAGES.nothingSwept));
  const trials = settings * plan.seeds;
  if (trials > MAX_SWEEP_TRIALS) throw new SweepError(format(SWEEP_MESSAGES.tooManyTrials, trials, MAX_SWEEP_TRIALS));
}

/** The trials of a sweep, in the order they run: each setting, then its seeds. */
export function expandSweep(plan: SweepPlan, format: MessageFormat = formatMessage): SweepTrial[] {
  checkPlan(plan, format);
  const settingsList: Array<Partial<Seq2SeqConfig>> = [];
  if (plan.mode === 'grid') {
    let combos: Array<Record<string, SweepValue>> = [{}];
    for (const axis of plan.axes) combos = combos.flatMap(c => axis.values.map(v => ({ ...c, [axis.key]: v })));
    settingsList.push(...(combos as Array<Partial<Seq2SeqConfig>>));
  } else {
    const random = seededRandom(plan.samplingSeed ?? 0);
    for (let i = 0; i < plan.samples!; i++) {
      const settings: Record<string, SweepValue> = {};
      for (const axis of plan.axes) settings[axis.key] = drawValue(axis, random);
      settingsList.push(settings as Partial<Seq2SeqConfig>);
    }
  }
  const trials: SweepTrial[] = [];
  settingsList.forEach((settings, group) => {
    for (let s = 0; s < plan.seeds; s++) {
      const seed = typeof settings.seed === 'number' ? settings.seed : plan.baseSeed + s;
      trials.push({ index: trials.length, group, settings: { ...settings, seed }, seed });
    }
  });
  return trials;
}

/** Mean and sample standard deviation (n − 1; 0 for one value) of the finite values; undefined for none. */
export function meanStd(values: readonly number[]): { mean: number; std: number; n: number } | undefined {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return undefined;
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const variance = finite.length > 1 ? finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (finite.length - 1) : 0;
  return { mean, std: Math.sqrt(variance), n: finite.length };
}

// ---- results ----

/** Where a trial of a sweep stands: as a run's state, plus `pruned` (stopped by the median rule). */
export type SweepTrialState = 'queued' | 'running' | 'completed' | 'pruned' | 'failed' | 'cancelled' | 'interrupted';

/** One trial's outcome, as the CLI prints it and the sweep page shows it. */
export interface SweepTrialResult extends SweepTrial {
  state: SweepTrialState;
  /** The trial's run directory. */
  run?: string;
  /** Best validation value of the sweep's metric over the trial's evaluations. */
  metric?: number;
  stopReason?: string;
  error?: string;
  steps?: number;
  seconds?: number;
  /** Test-split metrics with the trial's best checkpoint. */
  test?: EvalMetrics;
}

/** A setting of the sweep over its seeds: mean ± std of the completed trials' metric. */
export interface SweepGroupSummary {
  group: number;
  /** The swept settings, the seed left out. */
  settings: Partial<Seq2SeqConfig>;
  trials: number;
  completed: number;
  mean?: number;
  std?: number;
}

export interface SweepSummary {
  metric: MetricKey;
  lowerIsBetter: boolean;
  trials: SweepTrialResult[];
  groups: SweepGroupSummary[];
  /** The group with the best mean (completed trials only; pruned trials stopped early and are not compared). */
  best?: SweepGroupSummary;
}

/** Groups the trials by setting, mean ± std over their seeds, and the best setting. */
export function summarizeSweep(metric: MetricKey, trials: readonly SweepTrialResult[]): SweepSummary {
  const lowerIsBetter = metricDefinition(metric)?.lowerIsBetter ?? false;
  const byGroup = new Map<number, SweepTrialResult[]>();
  for (const trial of trials) byGroup.set(trial.group, [...(byGroup.get(trial.group) ?? []), trial]);
  const groups: SweepGroupSummary[] = [...byGroup].map(([group, members]) => {
    const { seed: _seed, ...settings } = members[0].settings;
    const done = members.filter(t => t.state === 'completed' && t.metric !== undefined && Number.isFinite(t.metric));
    const stats = meanStd(done.map(t => t.metric!));
    return { group, settings, trials: members.length, completed: done.length, mean: stats?.mean, std: stats?.std };
  });
  let best: SweepGroupSummary | undefined;
  for (const group of groups) {
    if (group.mean === undefined) continue;
    if (!best || (lowerIsBetter ? group.mean < best.mean! : group.mean > best.mean!)) best = group;
  }
  return { metric, lowerIsBetter, trials: [...trials], groups, best };
}

// ---- a sweep from the form ----

/**
 * The trials of a sweep typed into the form: `values` (setting → sweep text) over `config`,
 * `random` > 0 samples instead of the grid, `seeds` per setting. Errors come keyed by setting
 * (the form shows them at the field; '' for the sweep as a whole), in the `format`'s language.
 * Every trial's whole config is validated, cross-field rules included.
 */
export function expandFormSweep(
  config: Partial<Seq2SeqConfig>,
  sweep: { values: Record<string, string>; seeds: number; random: number },
  format: MessageFormat = formatMessage,
): { trials: SweepTrial[]; errors: Array<{ key: string; message: string }> } {
  const errors: Array<{ key: string; message: string }> = [];
  const axes: SweepAxis[] = [];
  for (const [key, text] of Object.entries(sweep.values)) {
    try {
      axes.push(parseAxis(key, text, format));
    } catch (error) {
      errors.push({ key, message: (error as Error).message });
    }
  }
  if (errors.length) return { trials: [], errors };
  const plan: SweepPlan = {
    axes, mode: sweep.random > 0 ? 'random' : 'grid', samples: sweep.random > 0 ? sweep.random : undefined,
    samplingSeed: config.seed ?? 1, seeds: sweep.seeds, baseSeed: config.seed ?? 1,
  };
  let trials: SweepTrial[];
  try {
    trials = expandSweep(plan, format);
  } catch (error) {
    return { trials: [], errors: [{ key: '', message: (error as Error).message }] };
  }
  for (const trial of trials) {
    const problems = validateConfig({ ...config, ...trial.settings }, format).errors;
    if (problems.length) return { trials: [], errors: problems.map(p => ({ key: p.key, message: `${format(SWEEP_MESSAGES.trialInvalid, trial.index + 1, JSON.stringify(trial.settings))}: ${p.message}` })) };
  }
  return { trials, errors };
}

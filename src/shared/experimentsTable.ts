/**
 * The experiments table's model, free of `vscode` and the DOM: what a row holds (one run of
 * the runs directory), which columns there are (the run's facts, best and final value of every
 * metric of METRICS, the hyperparameters of CONFIG_FIELDS — by default only those that differ
 * between the runs shown), the value of a cell, sorting, filtering (a text search and one
 * expression per column: a range or a list of values) and CSV export. The host builds rows and
 * CSV with it, the webview sorts, filters and shows with it; unit-tested under Node.
 */
import { CONFIG_FIELDS, fieldSpec, type ResolvedShape } from './config';
import { METRICS, metricDefinition, type MetricKey, type TargetUnit } from './metrics';
import type { RunState } from './protocol';
import { SHAPES, SHAPE_NAMES } from './shapes';
import { fail, ok, type Parsed } from './validation';

/** A hyperparameter value as written in config.json. */
export type HyperparameterValue = string | number | boolean;

/** One run as the table shows it (built by the host from the run directory). */
export interface ExperimentRow {
  /** Absolute run directory: the row's identity. */
  runDir: string;
  /** The folder name. */
  folder: string;
  /** The name the user gave the run (annotations), else the folder name. */
  name: string;
  notes: string;
  starred: boolean;
  hidden: boolean;
  /** The run's effective state (`running` only while its engine lives). */
  state: RunState | 'damaged';
  /** "task dates" or "file pairs.tsv"; '' when unknown. */
  dataset: string;
  /** ISO time the run was created. */
  createdAt?: string;
  /** Training time: result.json's seconds when the run ended, else manifest updatedAt − createdAt. */
  durationSeconds?: number;
  /** Target tokens per second (result.json, or the live step events of a running run). */
  tokensPerSecond?: number;
  step?: number;
  /** Best value of each metric over the validation evaluations (direction from METRICS). */
  best: Partial<Record<MetricKey, number>>;
  /** Test metrics when the run finished, else the last validation. */
  final: Partial<Record<MetricKey, number>>;
  finalSplit?: 'test' | 'valid';
  targetUnit?: TargetUnit;
  /** config.json's config (numbers, booleans, strings only). */
  config: Record<string, HyperparameterValue>;
  /** The sweep the run is a trial of (its sweep page). */
  sweep?: { id: string; trial: number; metric: MetricKey; settings?: Record<string, HyperparameterValue> };
  /** Stopped by the sweep's median rule. */
  pruned?: boolean;
  /** What could not be read. */
  problem?: string;
}

// ---------------------------------------------------------------------------------------------
// Columns.

export type ColumnKind = 'text' | 'number';

export interface Column {
  /** `star`, `state`, `name`, `notes`, `dataset`, `created`, `duration`, `tokensPerSecond`, `step`, `best.<metric>`, `final.<metric>`, `hp.<key>`. */
  id: string;
  kind: ColumnKind;
  group: 'run' | 'metric' | 'hyperparameter';
  /** English label (the webview shows it through t()); for metric columns the metric's label. */
  label: string;
  metric?: MetricKey;
  /** For metric columns: best over validation, or final. */
  which?: 'best' | 'final';
  /** For hyperparameter columns: the config key. */
  key?: string;
}

/** The run columns, in the table's order (English labels, translated where shown). */
export const RUN_COLUMNS: readonly Column[] = [
  { id: 'star', kind: 'text', group: 'run', label: 'Starred' },
  { id: 'state', kind: 'text', group: 'run', label: 'State' },
  { id: 'name', kind: 'text', group: 'run', label: 'Name' },
  { id: 'notes', kind: 'text', group: 'run', label: 'Notes' },
  { id: 'dataset', kind: 'text', group: 'run', label: 'Dataset' },
  { id: 'created', kind: 'text', group: 'run', label: 'Created' },
  { id: 'duration', kind: 'number', group: 'run', label: 'Duration' },
  { id: 'tokensPerSecond', kind: 'number', group: 'run', label: 'Tokens/s' },
  { id: 'step', kind: 'number', group: 'run', label: 'Steps' },
];

/** The sweep a run is a trial of (`<id> #<trial>`; shown when any row is a sweep trial, a link to its page). */
export const SWEEP_COLUMN: Column = { id: 'sweep', kind: 'text', group: 'run', label: 'Sweep' };

/** Metrics shown unless all metrics are asked for (the others are one click away). */
export const DEFAULT_METRICS: readonly MetricKey[] = ['exactMatch', 'bleu', 'loss'];

export function metricColumns(all: boolean): Column[] {
  const metrics = METRICS.filter(m => all || DEFAULT_METRICS.includes(m.key));
  return (['best', 'final'] as const).flatMap(which => metrics.map((m): Column => ({ id: `${which}.${m.key}`, kind: 'number', group: 'metric', label: m.label, metric: m.key, which })));
}

/** How a value reads in the table and in difference checks. */
export function formatHyperparameter(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Keys whose values are not all equal across the configs (a key missing in one counts as different). */
export function differingKeys(configs: ReadonlyArray<Record<string, unknown>>): Set<string> {
  const keys = new Set(configs.flatMap(c => Object.keys(c)));
  const differing = new Set<string>();
  for (const key of keys) {
    if (new Set(configs.map(c => formatHyperparameter(c[key]))).size > 1) differing.add(key);
  }
  return differing;
}

/** Config keys present in any config: the schema's order, then unknown keys alphabetically. */
export function configKeys(configs: ReadonlyArray<Record<string, unknown>>): string[] {
  const present = new Set(configs.flatMap(c => Object.keys(c)));
  const known = CONFIG_FIELDS.map(f => f.key as string).filter(k => present.has(k));
  return [...known, ...[...present].filter(k => !known.includes(k)).sort()];
}

/** Hyperparameter columns for `rows`: only those that differ between them unless `all`. */
export function hyperparameterColumns(rows: readonly ExperimentRow[], all: boolean): Column[] {
  const configs = rows.map(r => r.config);
  const differing = differingKeys(configs);
  return configKeys(configs)
    .filter(key => all || differing.has(key))
    .map((key): Column => {
      const spec = fieldSpec(key);
      const numeric = spec ? spec.type === 'int' || spec.type === 'float' : configs.every(c => c[key] === undefined || typeof c[key] === 'number');
      return { id: `hp.${key}`, kind: numeric ? 'number' : 'text', group: 'hyperparameter', label: spec?.label ?? key, key };
    });
}

export interface ColumnChoice {
  allHyperparameters: boolean;
  allMetrics: boolean;
}

/** Every column of the table for the rows shown. */
export function tableColumns(rows: readonly ExperimentRow[], choice: ColumnChoice): Column[] {
  const run = rows.some(r => r.sweep) ? [...RUN_COLUMNS.slice(0, 5), SWEEP_COLUMN, ...RUN_COLUMNS.slice(5)] : RUN_COLUMNS;
  return [...run, ...metricColumns(choice.allMetrics), ...hyperparameterColumns(rows, choice.allHyperparameters)];
}

/** The column of an id (hyperparameter columns for any config key; undefined for unknown ids). */
export function columnById(id: string): Column | undefined {
  const run = [...RUN_COLUMNS, SWEEP_COLUMN].find(c => c.id === id);
  if (run) return run;
  const [prefix, rest] = [id.slice(0, id.indexOf('.')), id.slice(id.indexOf('.') + 1)];
  if ((prefix === 'best' || prefix === 'final') && metricDefinition(rest)) return metricColumns(true).find(c => c.id === id);
  if (prefix === 'hp' && /^[A-Za-z][\w]{0,63}$/.test(rest)) {
    const spec = fieldSpec(rest);
    return { id, kind: !spec || spec.type === 'int' || spec.type === 'float' ? 'number' : 'text', group: 'hyperparameter', label: spec?.label ?? rest, key: rest };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Cells.

export type CellValue = string | number | boolean | undefined;

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The raw value of a cell (what sorting, range filters and CSV use). Metric fractions stay 0–1. */
export function cellValue(row: ExperimentRow, column: Column): CellValue {
  switch (column.id) {
    case 'star': return row.starred;
    case 'state': return row.state;
    case 'name': return row.name;
    case 'notes': return row.notes;
    case 'dataset': return row.dataset || undefined;
    case 'sweep': return row.sweep ? sweepCellText(row.sweep) : undefined;
    case 'created': return row.createdAt;
    case 'duration': return finite(row.durationSeconds) ? row.durationSeconds : undefined;
    case 'tokensPerSecond': return finite(row.tokensPerSecond) ? row.tokensPerSecond : undefined;
    case 'step': return row.step;
  }
  if (column.metric) {
    // A metric the run's shape does not have (BLEU of a classify run) is empty, whatever the engine scored.
    if (!metricOfRun(row, column.metric)) return undefined;
    const value = (column.which === 'best' ? row.best : row.final)[column.metric];
    return finite(value) ? value : undefined;
  }
  if (column.key !== undefined) return row.config[column.key];
  return undefined;
}

/** Whether the metric applies to the run's shape (its configuration's `shape`; runs before the shapes are seq2seq). */
export function metricOfRun(row: Pick<ExperimentRow, 'config'>, metric: MetricKey): boolean {
  const shape = row.config.shape;
  return SHAPES[typeof shape === 'string' && (SHAPE_NAMES as readonly string[]).includes(shape) ? (shape as ResolvedShape) : 'seq2seq'].metrics.includes(metric);
}

/** A trial's sweep as its cell reads: the sweep id and the 1-based trial number. */
export function sweepCellText(sweep: NonNullable<ExperimentRow['sweep']>): string {
  return `${sweep.id} #${sweep.trial + 1}`;
}

/** A number as the user reads (and filters) it: fractions as percentages. */
export function displayNumber(column: Column, value: number): number {
  return column.metric && metricDefinition(column.metric)?.unit === 'fraction' ? value * 100 : value;
}

/** "42 s", "3 min 29 s", "2 h 5 min". */
export function formatDuration(seconds: number | undefined): string {
  if (!finite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

// ---------------------------------------------------------------------------------------------
// Sorting.

export interface SortOrder {
  column: string;
  descending: boolean;
}

function compareValues(a: CellValue, b: CellValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

/**
 * Rows sorted by a column (stable; ties keep the given order). Empty cells go last in both
 * directions, so "best first" never starts with runs that have no value.
 */
export function sortRows(rows: readonly ExperimentRow[], order: SortOrder | undefined): ExperimentRow[] {
  const column = order && columnById(order.column);
  if (!order || !column) return [...rows];
  const sign = order.descending ? -1 : 1;
  return rows
    .map((row, index) => ({ row, index, value: cellValue(row, column) }))
    .sort((x, y) => {
      const xEmpty = x.value === undefined || x.value === '';
      const yEmpty = y.value === undefined || y.value === '';
      if (xEmpty || yEmpty) return xEmpty === yEmpty ? x.index - y.index : xEmpty ? 1 : -1;
      return sign * compareValues(x.value, y.value) || x.index - y.index;
    })
    .map(x => x.row);
}

// ---------------------------------------------------------------------------------------------
// Filtering.

/** A parsed per-column filter: a numeric range (bounds in display units) or a list of values. */
export type ColumnFilter =
  | { kind: 'range'; min?: number; max?: number; minInclusive: boolean; maxInclusive: boolean }
  | { kind: 'values'; values: string[]; numbers?: number[] };

/** A number typed in a filter: `0.5`, `1e-3`, `95 %`. */
function parseNumber(text: string): number | undefined {
  const t = text.trim().replace(/\s*%$/, '');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return undefined;
  return Number(t);
}

/**
 * One column's filter expression. Number columns: `a..b` (either bound may be left out),
 * `>a`, `>=a`, `<b`, `<=b`, or values `a, b` (in the units shown: 95 means 95 % for exact
 * match). Text columns: values `lstm, gru`, a cell matching when it contains any of them
 * (ignoring case). Empty text: no filter (undefined).
 */
export function parseColumnFilter(text: string, kind: ColumnKind): Parsed<ColumnFilter | undefined> {
  const trimmed = text.trim();
  if (!trimmed) return ok(undefined);
  if (kind === 'text') return ok({ kind: 'values', values: trimmed.split(',').map(v => v.trim().toLowerCase()).filter(Boolean) });
  const range = /^(.*?)\.\.(.*)$/.exec(trimmed);
  if (range) {
    const [lo, hi] = [range[1].trim(), range[2].trim()];
    const min = lo ? parseNumber(lo) : undefined;
    const max = hi ? parseNumber(hi) : undefined;
    if ((lo && min === undefined) || (hi && max === undefined) || (!lo && !hi)) return fail(`"${trimmed}" is not a range like 0.5..0.9`);
    if (min !== undefined && max !== undefined && min > max) return fail(`the range ${trimmed} is empty`);
    return ok({ kind: 'range', min, max, minInclusive: true, maxInclusive: true });
  }
  const bound = /^(>=|<=|>|<|=)\s*(.+)$/.exec(trimmed);
  if (bound) {
    const value = parseNumber(bound[2]);
    if (value === undefined) return fail(`"${bound[2]}" is not a number`);
    switch (bound[1]) {
      case '>': return ok({ kind: 'range', min: value, minInclusive: false, maxInclusive: true });
      case '>=': return ok({ kind: 'range', min: value, minInclusive: true, maxInclusive: true });
      case '<': return ok({ kind: 'range', max: value, minInclusive: true, maxInclusive: false });
      case '<=': return ok({ kind: 'range', max: value, minInclusive: true, maxInclusive: true });
      default: return ok({ kind: 'values', values: [String(value)], numbers: [value] });
    }
  }
  const parts = trimmed.split(',').map(p => p.trim()).filter(Boolean);
  const numbers = parts.map(parseNumber);
  const bad = parts.find((_, i) => numbers[i] === undefined);
  if (bad !== undefined) return fail(`"${bad}" is not a number (use a..b, >a, <b or a list a, b)`);
  return ok({ kind: 'values', values: parts, numbers: numbers as number[] });
}

/** Whether a cell passes a column filter. An empty cell passes no filter. */
export function matchesColumn(row: ExperimentRow, column: Column, filter: ColumnFilter): boolean {
  const value = cellValue(row, column);
  if (value === undefined || value === '') return false;
  if (filter.kind === 'range') {
    if (typeof value !== 'number') return false;
    const shown = displayNumber(column, value);
    if (filter.min !== undefined && (filter.minInclusive ? shown < filter.min : shown <= filter.min)) return false;
    if (filter.max !== undefined && (filter.maxInclusive ? shown > filter.max : shown >= filter.max)) return false;
    return true;
  }
  if (filter.numbers && typeof value === 'number') {
    const shown = displayNumber(column, value);
    // Equal as the user reads it: to the precision they typed (0.1 matches 0.1000000001).
    return filter.numbers.some(n => Math.abs(shown - n) <= 1e-9 * Math.max(1, Math.abs(n)));
  }
  const text = String(value).toLowerCase();
  return filter.values.some(v => text.includes(v));
}

export interface TableFilter {
  /** Words that must all appear somewhere in the row (name, notes, dataset, state, hyperparameters). */
  text: string;
  /** Column id → filter expression (see parseColumnFilter). */
  columns: Record<string, string>;
  showHidden: boolean;
  starredOnly: boolean;
}

export const NO_FILTER: TableFilter = { text: '', columns: {}, showHidden: false, starredOnly: false };

/** The text the search box looks in. */
function searchText(row: ExperimentRow): string {
  const config = Object.entries(row.config).map(([k, v]) => `${k}=${formatHyperparameter(v)}`);
  return [row.name, row.folder, row.notes, row.dataset, row.state, ...config].join('\n').toLowerCase();
}

export interface FilterResult {
  rows: ExperimentRow[];
  /** Column id → why its expression was not understood (those filters are not applied). */
  errors: Record<string, string>;
  /** Rows left out only because they are hidden. */
  hiddenCount: number;
}

export function filterRows(rows: readonly ExperimentRow[], filter: TableFilter): FilterResult {
  const errors: Record<string, string> = {};
  const active: Array<[Column, ColumnFilter]> = [];
  for (const [id, text] of Object.entries(filter.columns)) {
    const column = columnById(id);
    if (!column) continue;
    const parsed = parseColumnFilter(text, column.kind);
    if (!parsed.ok) errors[id] = parsed.error;
    else if (parsed.value) active.push([column, parsed.value]);
  }
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  let hiddenCount = 0;
  const kept = rows.filter(row => {
    if (filter.starredOnly && !row.starred) return false;
    if (words.length) {
      const text = searchText(row);
      if (!words.every(w => text.includes(w))) return false;
    }
    if (!active.every(([column, f]) => matchesColumn(row, column, f))) return false;
    if (row.hidden && !filter.showHidden) {
      hiddenCount++;
      return false;
    }
    return true;
  });
  return { rows: kept, errors, hiddenCount };
}

// ---------------------------------------------------------------------------------------------
// CSV.

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break (quotes
 * doubled). Text that a spreadsheet would run as a formula (starting with = + - @, tab or CR)
 * gets a leading apostrophe (OWASP's CSV-injection advice); numbers are written as they are.
 */
export function csvField(value: CellValue): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The rows as CSV: a header line, then one line per row (CRLF line ends, raw values: fractions 0–1, seconds). */
export function toCsv(rows: readonly ExperimentRow[], columns: readonly Column[], header: (column: Column) => string): string {
  const lines = [columns.map(c => csvField(header(c))), ...rows.map(row => columns.map(c => csvField(cellValue(row, c))))];
  return lines.map(fields => fields.join(',')).join('\r\n') + '\r\n';
}

/** A column's heading, through a translation function: "Best Exact match", "Final BLEU", "Hidden size". */
export function columnTitle(column: Column, t: (template: string, ...args: string[]) => string, unit: TargetUnit = 'word'): string {
  if (column.metric) {
    const label = t(column.metric === 'wer' && unit === 'phoneme' ? 'PER' : column.label);
    return column.which === 'best' ? t('Best {0}', label) : t('Final {0}', label);
  }
  return t(column.label);
}

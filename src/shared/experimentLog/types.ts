/**
 * The experiment log file format (`*.s2slog`): JSON, pretty-printed with a fixed key order so
 * that a log kept in git diffs line by line (one metrics point per line).
 *
 * A log is a list of cells: the user's own markdown and code cells, kept verbatim, and one
 * `run` cell per training run holding everything needed to redraw it without the run
 * directory (which may be deleted, or on another machine): settings, compact curves, the
 * final result and a few sample predictions.
 *
 * Pure data: no `vscode`, no fs; the types only (the parser is parse.ts, the writer write.ts,
 * the names constants.ts). The renderer imports these types too.
 */
import type { EvalMetrics, RunState, TrainResult } from '../protocol';
import { LOG_VERSION } from './constants';
import type { DataChoice } from '../dataChoice';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A setting as recorded; kept as written so logs from older schemas still open. */
export type ConfigValue = string | number | boolean;

/** Metrics added after the log format's first version: absent in older logs (see CORE_METRIC_KEYS). */
export type LaterMetricKey = 'cer' | 'wer';

/**
 * Metrics as stored: JSON has no NaN or Infinity (a diverged run's perplexity overflows), so
 * non-finite values are stored as null rather than failing the whole file. A log written
 * before the error rates has no `cer`/`wer`; it opens and saves back without them.
 */
export type LoggedMetrics = { [K in Exclude<keyof EvalMetrics, LaterMetricKey>]: number | null } & { [K in LaterMetricKey]?: number | null };

/** One point of a run's curves. Train-only points are thinned; every evaluation is kept. */
export interface HistoryPoint {
  step: number;
  epoch: number;
  /** Smoothed training loss at this step (exponential moving average of step losses). */
  trainLoss?: number;
  /** Validation metrics when an evaluation happened at this step. */
  valid?: LoggedMetrics;
}

export interface RunSample {
  source: string;
  reference: string;
  prediction: string;
}

/** Where a running run is; kept after it ends so the cell still says how far it got. */
export interface RunProgress {
  step: number;
  epoch: number;
  /** 0 when not known yet (before the engine's start event). */
  totalSteps: number;
  fractionDone: number;
  /** Running average the next train point records; null before the first step. */
  smoothedLoss: number | null;
}

/** The result as recorded: a TrainResult with non-finite metrics as null, plus any fields newer engines add. */
export type LoggedResult = Omit<TrainResult, 'metrics'> & { metrics: LoggedMetrics } & { [extra: string]: JsonValue };

export interface MarkdownCell {
  kind: 'markdown';
  /** Exactly as the user wrote it: line endings, trailing spaces and all. */
  source: string;
}

/** A code cell the user added (e.g. a snippet); this extension never runs it. */
export interface CodeCell {
  kind: 'code';
  language: string;
  source: string;
}

export interface RunCell {
  kind: 'run';
  /** The run directory, as given to the engine (absolute, or relative to the workspace). */
  runDir: string;
  data: DataChoice;
  /** The full resolved configuration the run trained with. */
  config: { [key: string]: ConfigValue };
  state: RunState;
  /** ISO time the run was added to the log. */
  startedAt: string;
  progress: RunProgress;
  metricsHistory: HistoryPoint[];
  result: LoggedResult | null;
  samples: RunSample[];
  /**
   * The cell's editable text when the user changed it from the generated recipe (see
   * runRecipe.ts); absent otherwise. Kept so nothing typed into a notebook is lost on save.
   */
  recipe?: string;
}

export type LogCell = MarkdownCell | CodeCell | RunCell;

export interface LogDocument {
  version: typeof LOG_VERSION;
  cells: LogCell[];
}

/** What is wrong with a log file, precisely enough to fix it by hand. */
export interface LogParseError {
  kind: 'encoding' | 'invalid-json' | 'truncated' | 'unsupported' | 'invalid-structure';
  message: string;
  /** 1-based, for invalid-json and truncated. */
  line?: number;
  column?: number;
  /** JSON path of the offending value for invalid-structure, e.g. `cells[2].state`. */
  path?: string;
}

export type ParseResult = { ok: true; document: LogDocument } | { ok: false; error: LogParseError };

export function emptyLog(): LogDocument {
  return { version: LOG_VERSION, cells: [] };
}

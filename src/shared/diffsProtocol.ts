/**
 * The host ↔ webview protocol of the prediction diffs panel and the run comparison panel (kept
 * apart from webviewProtocol.ts, which holds the form, dashboard and attention panels).
 *
 * As there: one discriminated union per panel and direction; what a webview sends, and the
 * state it saved with `setState` (back through the serializer after a reload), is untrusted
 * and goes through a `parse…` validator that never throws.
 *
 * Nothing here imports `vscode` or the DOM.
 */
import type { ResolvedShape } from './config';
import type { TargetUnit } from './metrics';
import type { ConfusionMatrix, EvalMetrics, PredictedSample, RunSweep } from './protocol';
import type { L10nBundle } from './l10nBundle';
import { describe, extraKey, fail, isRecord, MAX_STRING, ok, type Parsed } from './validation';
import type { DataChoice } from './dataChoice';

export const DIFFS_VIEW_TYPE = 'seq2seqLab.diffs';
export const COMPARE_VIEW_TYPE = 'seq2seqLab.compareRuns';

// ---------------------------------------------------------------------------------------------
// Prediction diffs.

export type Split = 'valid' | 'test';
export type CheckpointName = 'best' | 'last';

/** A run's checkpoint. */
export interface CheckpointRef {
  runDir: string;
  checkpoint: CheckpointName;
}

/** What a diffs panel shows: one checkpoint's predictions, or two compared (A before, B after). */
export interface DiffsRequest {
  split: Split;
  a: CheckpointRef;
  b?: CheckpointRef;
}

/** One checkpoint's predictions of a split. */
export interface PredictionSet {
  /** e.g. "dates-20261130-091500 · best (step 120)" */
  label: string;
  runDir: string;
  split: Split;
  checkpoint: CheckpointName;
  step: number;
  /** How target tokens join into text ('' for characters). */
  joiner: string;
  /** What a target word is (the engine's `targetUnit`; `phoneme`: the WER is the PER). Absent: words. */
  targetUnit?: TargetUnit;
  /** The run's shape (the engine says; absent: seq2seq). Its view (SHAPES[shape].view) shows the set. */
  shape?: ResolvedShape;
  samples: PredictedSample[];
}

/** classify: the confusion matrix of one evaluation of a run, from its metrics.jsonl. */
export interface EvaluationConfusion {
  step: number;
  split: Split;
  /** The validation evaluation that was the best so far. */
  best: boolean;
  confusion: ConfusionMatrix;
}

/** What the host read from the run directory of A before predicting: its shape and, for classify, every evaluation's matrix. */
export interface DiffsRunInfo {
  shape: ResolvedShape;
  /** In file order (the last one is the latest); empty when the run has none. */
  evaluations: EvaluationConfusion[];
}

/** host → diffs */
export type HostToDiffsMessage =
  /**
   * Sent first (reply to `ready`): what is being predicted (the webview saves it with setState)
   * and the host's translation bundle (absent in English).
   */
  | { type: 'request'; request: DiffsRequest; title: string; l10n?: L10nBundle }
  /** Sent after `request` when the run is not seq2seq: its shape and evaluations (the view can show them before the predictions come). */
  | { type: 'run'; run: DiffsRunInfo }
  /** Decoding progress: the panel shows a progress bar (loading state). */
  | { type: 'progress'; label: string; done: number; total: number }
  /** One checkpoint only: the batch just predicted, appended to the partial list shown meanwhile. */
  | { type: 'partial'; label: string; samples: PredictedSample[]; done: number; total: number }
  /** The predictions (B when comparing); replaces the loading state. */
  | { type: 'predictions'; a: PredictionSet; b?: PredictionSet }
  /** The engine failed or was cancelled. */
  | { type: 'failed'; message: string };

/** diffs → host */
export type DiffsToHostMessage =
  | { type: 'ready' }
  /** Stop the prediction in progress. */
  | { type: 'cancel' }
  /** Predict again (after a failure or a cancel). */
  | { type: 'retry' }
  | { type: 'error'; message: string };

/** What the diffs webview saves with `setState` (the view settings are its own business). */
export interface DiffsState {
  request: DiffsRequest;
}

// ---------------------------------------------------------------------------------------------
// Run comparison.

/** One evaluation of a run (from metrics.jsonl). */
export interface CurvePoint {
  step: number;
  metrics: EvalMetrics;
}

export interface RunSummary {
  name: string;
  runDir: string;
  state: string;
  /** The run's hyperparameters (config.json), or {} when unreadable. */
  config: Record<string, unknown>;
  /** "task dates" or "file pairs.tsv". */
  data: string;
  /** The data as config.json names it (to train again on it). */
  dataSource?: DataChoice;
  /** Final metrics: the test split's (result.json) when the run finished, else the last validation. */
  final?: { split: Split; metrics: EvalMetrics };
  /** Validation curves. */
  curves: CurvePoint[];
  /** What a target word is (result.json's `targetUnit`; `phoneme`: the WER is the PER). */
  targetUnit?: TargetUnit;
  /** The run's shape (config.json's `shape`; absent in runs before the shapes: seq2seq). */
  shape?: ResolvedShape;
  /** Training seconds and target tokens per second of a finished run (result.json). */
  seconds?: number;
  tokensPerSecond?: number;
  /** The sweep the run is a trial of (config.json's `sweep`). */
  sweep?: RunSweep;
  /** A fine-tuned run: the run it started from and that run's step there (config.json's `finetunedFrom`). */
  finetunedFrom?: { run: string; step?: number };
  /** Why it stopped (result.json); the median rule's reasons start with "pruned at step". */
  stopReason?: string;
  /** Why something could not be read. */
  problem?: string;
}

/** host → comparison */
export type HostToCompareMessage =
  /** The runs, with the host's translation bundle (absent in English). */
  | { type: 'runs'; runs: RunSummary[]; title: string; l10n?: L10nBundle }
  | { type: 'failed'; message: string };

/** comparison → host */
export type CompareToHostMessage = { type: 'ready' } | { type: 'error'; message: string };

export interface CompareState {
  runDirs: string[];
}

// ---------------------------------------------------------------------------------------------
// Validators.

export type { Parsed } from './validation';

/** Most runs one comparison shows. */
export const MAX_COMPARED_RUNS = 32;



function isPath(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0 && x.length <= MAX_STRING;
}



function parseSimple<T>(x: unknown, types: readonly string[]): Parsed<T> {
  if (!isRecord(x)) return fail(`message must be an object (got ${describe(x)})`);
  const type = x.type;
  if (typeof type !== 'string') return fail('message has no string "type"');
  if (!types.includes(type)) return fail(`unknown message type ${JSON.stringify(type.slice(0, 64))}`);
  if (type === 'error') {
    const extra = extraKey(x, ['type', 'message']);
    if (extra) return fail(`unexpected field "${extra.slice(0, 64)}" in error`);
    if (typeof x.message !== 'string' || x.message.length > MAX_STRING) return fail('error.message must be a string of at most 4096 characters');
    return ok({ type: 'error', message: x.message } as T);
  }
  const extra = extraKey(x, ['type']);
  return extra ? fail(`unexpected field "${extra.slice(0, 64)}" in ${type}`) : ok({ type } as T);
}

/** Validates a message from the diffs webview. */
export function parseDiffsMessage(x: unknown): Parsed<DiffsToHostMessage> {
  return parseSimple<DiffsToHostMessage>(x, ['ready', 'cancel', 'retry', 'error']);
}

/** Validates a message from the run comparison webview. */
export function parseCompareMessage(x: unknown): Parsed<CompareToHostMessage> {
  return parseSimple<CompareToHostMessage>(x, ['ready', 'error']);
}

function parseCheckpointRef(x: unknown, where: string): Parsed<CheckpointRef> {
  if (!isRecord(x)) return fail(`${where} must be an object`);
  const extra = extraKey(x, ['runDir', 'checkpoint']);
  if (extra) return fail(`unexpected field "${extra.slice(0, 64)}" in ${where}`);
  if (!isPath(x.runDir)) return fail(`${where}.runDir must be a non-empty string`);
  if (x.checkpoint !== 'best' && x.checkpoint !== 'last') return fail(`${where}.checkpoint must be best or last`);
  return ok({ runDir: x.runDir, checkpoint: x.checkpoint });
}

export function parseDiffsRequest(x: unknown): Parsed<DiffsRequest> {
  if (!isRecord(x)) return fail(`request must be an object (got ${describe(x)})`);
  const extra = extraKey(x, ['split', 'a', 'b']);
  if (extra) return fail(`unexpected field "${extra.slice(0, 64)}" in request`);
  if (x.split !== 'valid' && x.split !== 'test') return fail('request.split must be valid or test');
  const a = parseCheckpointRef(x.a, 'request.a');
  if (!a.ok) return a;
  if (x.b === undefined) return ok({ split: x.split, a: a.value });
  const b = parseCheckpointRef(x.b, 'request.b');
  if (!b.ok) return b;
  return ok({ split: x.split, a: a.value, b: b.value });
}

/** Validates the diffs panel's saved state (extra fields are the webview's view settings). */
export function parseDiffsState(x: unknown): Parsed<DiffsState> {
  if (!isRecord(x)) return fail(`state must be an object (got ${describe(x)})`);
  const request = parseDiffsRequest(x.request);
  return request.ok ? ok({ request: request.value }) : request;
}

/** Most labels a confusion matrix may have (the engine merges the rarest beyond 50). */
export const MAX_CONFUSION_LABELS = 200;

/**
 * A confusion matrix from untrusted JSON (a metrics line on the host, a message in the
 * webview), as a copy: 1 to MAX_CONFUSION_LABELS distinct short labels and a square table of
 * whole counts ≥ 0, one row and one column per label.
 */
export function parseConfusionMatrix(x: unknown): Parsed<ConfusionMatrix> {
  if (!isRecord(x)) return fail(`confusion must be an object (got ${describe(x)})`);
  const { labels, counts } = x;
  if (!Array.isArray(labels) || labels.length === 0 || labels.length > MAX_CONFUSION_LABELS || !labels.every(l => typeof l === 'string' && l.length <= 200)) {
    return fail(`confusion.labels must be 1 to ${MAX_CONFUSION_LABELS} strings`);
  }
  if (new Set(labels).size !== labels.length) return fail('confusion.labels repeat a label');
  if (!Array.isArray(counts) || counts.length !== labels.length || !counts.every(row => Array.isArray(row) && row.length === labels.length && row.every(c => Number.isSafeInteger(c) && c >= 0))) {
    return fail('confusion.counts must be a square table of whole counts, one row and column per label');
  }
  return ok({ labels: [...labels] as string[], counts: (counts as number[][]).map(row => [...row]) });
}

/** Validates the comparison panel's saved state. */
export function parseCompareState(x: unknown): Parsed<CompareState> {
  if (!isRecord(x)) return fail(`state must be an object (got ${describe(x)})`);
  const dirs = x.runDirs;
  if (!Array.isArray(dirs) || dirs.length === 0 || dirs.length > MAX_COMPARED_RUNS || !dirs.every(isPath)) {
    return fail(`state.runDirs must be 1 to ${MAX_COMPARED_RUNS} run directories`);
  }
  return ok({ runDirs: [...dirs] });
}

/**
 * Pure updates of a log as a run progresses: appendRun when training starts (or resumes),
 * updateRun for each engine ProgressEvent, finishRun with the TrainResult. Each returns a new
 * document and leaves its input untouched; when nothing changes the same document is
 * returned, so callers can skip a notebook edit with `===`.
 */
import type { EvalMetrics, ProgressEvent, RunState, TrainResult } from '../../shared/protocol';
import type { ConfigValue, HistoryPoint, LogDocument, LoggedMetrics, LoggedResult, RunCell } from '../../shared/experimentLog/types';
import { CORE_METRIC_KEYS, METRICS } from '../../shared/metrics';
import type { DataChoice } from '../../shared/dataChoice';

/** About this many train-loss points per run: enough for a smooth curve, small on disk. */
const TRAIN_POINTS_PER_RUN = 200;
/** Used before the engine has said how long the run is. */
const DEFAULT_TRAIN_POINT_INTERVAL = 10;
/** Thinning bound for runs whose length was never known (or that grew on resume). */
const MAX_TRAIN_POINTS = 2 * TRAIN_POINTS_PER_RUN;
/** Weight of the previous average: single-batch losses are too noisy to plot raw. */
const LOSS_SMOOTHING = 0.8;

export interface RunInfo {
  runDir: string;
  data: DataChoice;
  config: { [key: string]: ConfigValue };
  /** ISO time; passed in so these functions stay pure. */
  startedAt: string;
  state?: RunState;
}

/** Every metric the engine sent (an older engine sends no cer/wer: they stay out of the log). */
export function toLoggedMetrics(metrics: EvalMetrics): LoggedMetrics {
  const out: Record<string, number | null> = {};
  for (const { key } of METRICS) {
    const value = (metrics as Partial<EvalMetrics>)[key];
    if (value === undefined && !CORE_METRIC_KEYS.includes(key)) continue;
    out[key] = value !== undefined && Number.isFinite(value) ? value : null;
  }
  return out as LoggedMetrics;
}

function findRun(document: LogDocument, runDir: string): number {
  for (let i = document.cells.length - 1; i >= 0; i--) {
    const cell = document.cells[i];
    if (cell.kind === 'run' && cell.runDir === runDir) return i;
  }
  return -1;
}

function replaceCell(document: LogDocument, index: number, cell: RunCell): LogDocument {
  const cells = document.cells.slice();
  cells[index] = cell;
  return { ...document, cells };
}

/**
 * Adds a run cell at the end, after everything the user wrote. A run already in the log
 * (a resumed run) is updated in place instead, so its curves continue in the same cell.
 */
export function appendRun(document: LogDocument, info: RunInfo): LogDocument {
  const index = findRun(document, info.runDir);
  const state = info.state ?? 'running';
  if (index >= 0) {
    const existing = document.cells[index] as RunCell;
    return replaceCell(document, index, { ...existing, data: info.data, config: { ...info.config }, state, result: state === 'running' ? null : existing.result });
  }
  const cell: RunCell = {
    kind: 'run',
    runDir: info.runDir,
    data: info.data,
    config: { ...info.config },
    state,
    startedAt: info.startedAt,
    progress: { step: 0, epoch: 0, totalSteps: 0, fractionDone: 0, smoothedLoss: null },
    metricsHistory: [],
    result: null,
    samples: [],
  };
  return { ...document, cells: [...document.cells, cell] };
}

function trainPointInterval(totalSteps: number): number {
  return totalSteps > 0 ? Math.max(1, Math.ceil(totalSteps / TRAIN_POINTS_PER_RUN)) : DEFAULT_TRAIN_POINT_INTERVAL;
}

/** Drops every second train-only point once there are too many; evaluations are all kept. */
function thin(history: HistoryPoint[]): HistoryPoint[] {
  const trainOnly = history.filter(p => p.valid === undefined).length;
  if (trainOnly <= MAX_TRAIN_POINTS) return history;
  let seen = 0;
  return history.filter(p => p.valid !== undefined || seen++ % 2 === 0);
}

/** Adds `point` or merges it into the last point when both are at the same step. */
function addPoint(history: HistoryPoint[], point: HistoryPoint): HistoryPoint[] {
  const last = history[history.length - 1];
  if (last && last.step === point.step) return [...history.slice(0, -1), { ...last, ...point }];
  return [...history, point];
}

function applyEvent(run: RunCell, event: ProgressEvent): RunCell | undefined {
  switch (event.kind) {
    case 'start':
      return {
        ...run,
        config: { ...event.config },
        state: 'running',
        result: null,
        progress: { ...run.progress, step: event.startStep, totalSteps: event.totalSteps, fractionDone: event.totalSteps > 0 ? event.startStep / event.totalSteps : 0 },
        // A resumed run restarts from its last checkpoint: points after it will be redone.
        metricsHistory: run.metricsHistory.filter(p => p.step <= event.startStep),
      };
    case 'step': {
      const progress = { ...run.progress, step: event.step, epoch: event.epoch, fractionDone: event.fractionDone };
      // A NaN/Infinity loss (divergence) is the engine's to report; it must not poison the average.
      if (!Number.isFinite(event.loss)) return { ...run, progress };
      progress.smoothedLoss = run.progress.smoothedLoss === null ? event.loss : LOSS_SMOOTHING * run.progress.smoothedLoss + (1 - LOSS_SMOOTHING) * event.loss;
      const lastTrain = [...run.metricsHistory].reverse().find(p => p.trainLoss !== undefined);
      const due = !lastTrain || event.step - lastTrain.step >= trainPointInterval(run.progress.totalSteps);
      const metricsHistory = due ? thin(addPoint(run.metricsHistory, { step: event.step, epoch: event.epoch, trainLoss: progress.smoothedLoss })) : run.metricsHistory;
      return { ...run, progress, metricsHistory };
    }
    case 'eval':
      return {
        ...run,
        progress: { ...run.progress, step: event.step, epoch: event.epoch },
        metricsHistory: addPoint(run.metricsHistory, { step: event.step, epoch: event.epoch, valid: toLoggedMetrics(event.metrics) }),
        samples: [{ source: event.sample.source, reference: event.sample.reference, prediction: event.sample.output }],
      };
    case 'checkpoint':
      if (run.progress.step === event.step && run.progress.epoch === event.epoch) return undefined;
      return { ...run, progress: { ...run.progress, step: event.step, epoch: event.epoch } };
    case 'log':
      return undefined;
  }
}

/** Applies one engine progress event to the run `runDir`; unknown runs leave the log as it is. */
export function updateRun(document: LogDocument, runDir: string, event: ProgressEvent): LogDocument {
  const index = findRun(document, runDir);
  if (index < 0) return document;
  const updated = applyEvent(document.cells[index] as RunCell, event);
  return updated ? replaceCell(document, index, updated) : document;
}

/** Records the final result (also for cancelled and failed runs, which still report one). */
export function finishRun(document: LogDocument, runDir: string, result: TrainResult): LogDocument {
  const index = findRun(document, runDir);
  if (index < 0) return document;
  const run = document.cells[index] as RunCell;
  const logged = { ...result, metrics: toLoggedMetrics(result.metrics) } as LoggedResult;
  const fractionDone = result.state === 'completed' ? 1 : run.progress.fractionDone;
  return replaceCell(document, index, { ...run, state: result.state, result: logged, progress: { ...run.progress, fractionDone } });
}

/** Sets a run's state without a result, e.g. `interrupted` found after a window reload. */
export function setRunState(document: LogDocument, runDir: string, state: RunState): LogDocument {
  const index = findRun(document, runDir);
  if (index < 0 || (document.cells[index] as RunCell).state === state) return document;
  return replaceCell(document, index, { ...(document.cells[index] as RunCell), state });
}

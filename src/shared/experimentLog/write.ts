/**
 * LogDocument → canonical text. Keys always come in the same order (ours in a fixed,
 * readable order; the engine's extra fields sorted), two-space indent, one metrics point per
 * line, and a final newline — so writing a parsed canonical file gives back the same bytes and
 * a new run shows up in a diff as a block of added lines.
 */
import { CONFIG_FIELDS } from '../config';
import type { HistoryPoint, LogCell, LogDocument, LoggedMetrics, RunCell } from './types';
import { LOG_FORMAT, LOG_VERSION } from './constants';
import { METRICS } from '../metrics';

/** Printed on one line (metrics points: hundreds per run, each meaningful on its own). */
class Inline {
  constructor(readonly value: unknown) {}
}

type Entries = Array<[string, unknown]>;
/** An object whose key order is decided here, not by JavaScript's property order. */
class Ordered {
  constructor(readonly entries: Entries) {}
}

function sortedEntries(value: Record<string, unknown>, first: readonly string[] = []): Entries {
  const known = first.filter(key => key in value);
  const rest = Object.keys(value).filter(key => !first.includes(key)).sort();
  return [...known, ...rest].filter(key => value[key] !== undefined).map(key => [key, canonical(value[key])]);
}

/** Arbitrary JSON (engine-owned fields): objects with sorted keys, recursively. */
function canonical(value: unknown): unknown {
  if (value instanceof Ordered || value instanceof Inline) return value;
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') return new Ordered(sortedEntries(value as Record<string, unknown>));
  return value;
}

function print(value: unknown, indent: string): string {
  if (value instanceof Inline) return JSON.stringify(value.value);
  const inner = indent + '  ';
  if (value instanceof Ordered) {
    if (value.entries.length === 0) return '{}';
    const lines = value.entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${print(item, inner)}`);
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map(item => inner + print(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') return print(canonical(value), indent);
  // JSON.stringify writes NaN/Infinity as null; the updaters store null explicitly, so this
  // only matters for a caller that bypassed them, and then null is the honest value.
  return JSON.stringify(value) ?? 'null';
}

const CONFIG_ORDER = CONFIG_FIELDS.map(field => field.key as string);
const RESULT_ORDER = ['run', 'state', 'backend', 'epochs', 'steps', 'seconds', 'targetTokensPerSecond', 'metrics', 'signatures', 'stopReason'];

/** In METRICS order; a metric the log does not have (cer/wer in an older log) stays absent. */
function metricsObject(metrics: LoggedMetrics): Record<string, unknown> {
  return Object.fromEntries(METRICS.filter(m => metrics[m.key] !== undefined).map(m => [m.key, metrics[m.key]]));
}

function pointEntry(point: HistoryPoint): Inline {
  // Built by hand so the on-line key order is fixed too.
  const out: Record<string, unknown> = { step: point.step, epoch: point.epoch };
  if (point.trainLoss !== undefined) out.trainLoss = point.trainLoss;
  if (point.valid !== undefined) out.valid = metricsObject(point.valid);
  return new Inline(out);
}

function runEntries(cell: RunCell): Entries {
  const result = cell.result === null ? null : new Ordered(sortedEntries({ ...cell.result, metrics: new Ordered(Object.entries(metricsObject(cell.result.metrics))) }, RESULT_ORDER));
  const entries: Entries = [
    ['kind', 'run'],
    ['runDir', cell.runDir],
    ['state', cell.state],
    ['startedAt', cell.startedAt],
    ['data', 'task' in cell.data ? new Ordered([['task', cell.data.task]]) : new Ordered([['dataPath', cell.data.dataPath]])],
  ];
  if (cell.recipe !== undefined) entries.push(['recipe', cell.recipe]);
  entries.push(
    ['config', new Ordered(sortedEntries(cell.config, CONFIG_ORDER))],
    ['progress', new Ordered([['step', cell.progress.step], ['epoch', cell.progress.epoch], ['totalSteps', cell.progress.totalSteps], ['fractionDone', cell.progress.fractionDone], ['smoothedLoss', cell.progress.smoothedLoss]])],
    ['result', result],
    ['samples', cell.samples.map(s => new Ordered([['source', s.source], ['reference', s.reference], ['prediction', s.prediction]]))],
    ['metricsHistory', cell.metricsHistory.map(pointEntry)],
  );
  return entries;
}

function cellValue(cell: LogCell): Ordered {
  switch (cell.kind) {
    case 'markdown':
      return new Ordered([['kind', 'markdown'], ['source', cell.source]]);
    case 'code':
      return new Ordered([['kind', 'code'], ['language', cell.language], ['source', cell.source]]);
    case 'run':
      return new Ordered(runEntries(cell));
  }
}

export function writeLogText(document: LogDocument): string {
  const top = new Ordered([['format', LOG_FORMAT], ['version', LOG_VERSION], ['cells', document.cells.map(cellValue)]]);
  return print(top, '') + '\n';
}

/** The canonical bytes of a log. Deterministic: the same document always gives the same bytes. */
export function writeLog(document: LogDocument): Uint8Array {
  return new TextEncoder().encode(writeLogText(document));
}

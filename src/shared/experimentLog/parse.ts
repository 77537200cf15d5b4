/**
 * Text → LogDocument, validating every field. A log is hand-editable, so each error names the
 * JSON path of the bad value (`cells[2].progress.step`) or the line and column of bad syntax.
 * Fields that come from the engine and grow over versions (`config`, `result`) are kept as
 * written, so an older or newer log still opens and saves back unchanged.
 */
import type { HistoryPoint, JsonObject, JsonValue, LogCell, LoggedMetrics, LoggedResult, LogParseError, ParseResult, RunCell, RunProgress, RunSample } from './types';
import { LOG_FORMAT, LOG_VERSION } from './constants';
import { findJsonSyntaxError, lineAndColumn } from './jsonSyntax';
import { CORE_METRIC_KEYS, METRICS } from '../metrics';
import type { DataChoice } from '../dataChoice';

const RUN_STATES = ['running', 'completed', 'cancelled', 'failed', 'interrupted'];
const METRIC_KEYS = METRICS.map(m => m.key);

class Invalid extends Error {
  constructor(readonly path: string, readonly problem: string) {
    super(`${path}: ${problem}`);
  }
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function object(value: unknown, path: string, allowed: readonly string[]): JsonObject {
  if (!isObject(value)) throw new Invalid(path, 'must be an object');
  const unknown = Object.keys(value).find(key => !allowed.includes(key));
  // Strict on our own structures: a typo'd field would otherwise be dropped on the next save.
  if (unknown !== undefined) throw new Invalid(path, `unknown field "${unknown}"`);
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new Invalid(path, 'must be a string');
  return value;
}

function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Invalid(path, 'must be a number');
  return value;
}

function count(value: unknown, path: string): number {
  const n = finite(value, path);
  if (!Number.isInteger(n) || n < 0) throw new Invalid(path, 'must be a whole number ≥ 0');
  return n;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new Invalid(path, 'must be an array');
  return value;
}

function metrics(value: unknown, path: string): LoggedMetrics {
  const raw = object(value, path, METRIC_KEYS);
  const out: Record<string, number | null> = {};
  for (const key of METRIC_KEYS) {
    // The core keys are in every log; the later ones (cer, wer) only in newer ones.
    if (!(key in raw)) {
      if (CORE_METRIC_KEYS.includes(key)) throw new Invalid(`${path}.${key}`, 'is missing');
      continue;
    }
    out[key] = raw[key] === null ? null : finite(raw[key], `${path}.${key}`);
  }
  return out as LoggedMetrics;
}

function historyPoint(value: unknown, path: string): HistoryPoint {
  const raw = object(value, path, ['step', 'epoch', 'trainLoss', 'valid']);
  const point: HistoryPoint = { step: count(raw.step, `${path}.step`), epoch: count(raw.epoch, `${path}.epoch`) };
  if ('trainLoss' in raw) point.trainLoss = finite(raw.trainLoss, `${path}.trainLoss`);
  if ('valid' in raw) point.valid = metrics(raw.valid, `${path}.valid`);
  return point;
}

function runData(value: unknown, path: string): DataChoice {
  const raw = object(value, path, ['task', 'dataPath']);
  if ('task' in raw === 'dataPath' in raw) throw new Invalid(path, 'must have exactly one of "task" and "dataPath"');
  return 'task' in raw ? { task: string(raw.task, `${path}.task`) } : { dataPath: string(raw.dataPath, `${path}.dataPath`) };
}

function progress(value: unknown, path: string): RunProgress {
  const raw = object(value, path, ['step', 'epoch', 'totalSteps', 'fractionDone', 'smoothedLoss']);
  return {
    step: count(raw.step, `${path}.step`),
    epoch: count(raw.epoch, `${path}.epoch`),
    totalSteps: count(raw.totalSteps, `${path}.totalSteps`),
    fractionDone: finite(raw.fractionDone, `${path}.fractionDone`),
    smoothedLoss: raw.smoothedLoss === null ? null : finite(raw.smoothedLoss, `${path}.smoothedLoss`),
  };
}

function result(value: unknown, path: string): LoggedResult | null {
  if (value === null) return null;
  if (!isObject(value)) throw new Invalid(path, 'must be an object or null');
  // Check only what the log displays; keep everything else the engine wrote.
  string(value.state, `${path}.state`);
  string(value.stopReason, `${path}.stopReason`);
  finite(value.steps, `${path}.steps`);
  finite(value.seconds, `${path}.seconds`);
  metrics(value.metrics, `${path}.metrics`);
  return value as unknown as LoggedResult;
}

function config(value: unknown, path: string): RunCell['config'] {
  if (!isObject(value)) throw new Invalid(path, 'must be an object');
  for (const [key, setting] of Object.entries(value)) {
    if (!['string', 'number', 'boolean'].includes(typeof setting)) throw new Invalid(`${path}.${key}`, 'must be a string, number or boolean');
  }
  return value as RunCell['config'];
}

function sample(value: unknown, path: string): RunSample {
  const raw = object(value, path, ['source', 'reference', 'prediction']);
  return { source: string(raw.source, `${path}.source`), reference: string(raw.reference, `${path}.reference`), prediction: string(raw.prediction, `${path}.prediction`) };
}

function runCell(raw: JsonObject, path: string): RunCell {
  object(raw, path, ['kind', 'runDir', 'data', 'config', 'state', 'startedAt', 'progress', 'metricsHistory', 'result', 'samples', 'recipe']);
  const state = string(raw.state, `${path}.state`);
  if (!RUN_STATES.includes(state)) throw new Invalid(`${path}.state`, `must be one of ${RUN_STATES.join(', ')}`);
  const cell: RunCell = {
    kind: 'run',
    runDir: string(raw.runDir, `${path}.runDir`),
    data: runData(raw.data, `${path}.data`),
    config: config(raw.config, `${path}.config`),
    state: state as RunCell['state'],
    startedAt: string(raw.startedAt, `${path}.startedAt`),
    progress: progress(raw.progress, `${path}.progress`),
    metricsHistory: array(raw.metricsHistory, `${path}.metricsHistory`).map((p, i) => historyPoint(p, `${path}.metricsHistory[${i}]`)),
    result: result(raw.result, `${path}.result`),
    samples: array(raw.samples, `${path}.samples`).map((s, i) => sample(s, `${path}.samples[${i}]`)),
  };
  if ('recipe' in raw) cell.recipe = string(raw.recipe, `${path}.recipe`);
  return cell;
}

/** Validates one cell; throws an Error naming the path of the bad value. */
export function parseCell(value: unknown, path: string): LogCell {
  return cell(value, path);
}

function cell(value: unknown, path: string): LogCell {
  if (!isObject(value)) throw new Invalid(path, 'must be an object');
  switch (value.kind) {
    case 'markdown':
      object(value, path, ['kind', 'source']);
      return { kind: 'markdown', source: string(value.source, `${path}.source`) };
    case 'code':
      object(value, path, ['kind', 'language', 'source']);
      return { kind: 'code', language: string(value.language, `${path}.language`), source: string(value.source, `${path}.source`) };
    case 'run':
      return runCell(value, path);
    default:
      throw new Invalid(`${path}.kind`, 'must be "markdown", "code" or "run"');
  }
}

function syntaxError(text: string): LogParseError {
  const found = findJsonSyntaxError(text);
  // JSON.parse failed, so the checker finds something; the fallback only guards a disagreement.
  const offset = found?.offset ?? text.length;
  const { line, column } = lineAndColumn(text, offset);
  if (!found || found.atEnd) {
    return { kind: 'truncated', line, column, message: `The file is truncated: the JSON stops at line ${line}, column ${column}.` };
  }
  return { kind: 'invalid-json', line, column, message: `Invalid JSON at line ${line}, column ${column}: ${found.message}.` };
}

export function parseLogText(text: string): ParseResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: true, document: { version: LOG_VERSION, cells: [] } };
  let value: JsonValue;
  try {
    value = JSON.parse(body) as JsonValue;
  } catch {
    const error = syntaxError(body);
    // Positions are in the text the user sees, which starts after any BOM: nothing to shift.
    return { ok: false, error };
  }
  try {
    if (!isObject(value)) throw new Invalid('(top level)', 'must be an object');
    if (value.format !== LOG_FORMAT) throw new Invalid('format', `must be "${LOG_FORMAT}"`);
    if (value.version !== LOG_VERSION) {
      return {
        ok: false,
        error: { kind: 'unsupported', path: 'version', message: `This log has format version ${JSON.stringify(value.version)}; this version of Seq2Seq Lab reads version ${LOG_VERSION}.` },
      };
    }
    object(value, '(top level)', ['format', 'version', 'cells']);
    const cells = array(value.cells, 'cells').map((c, i) => cell(c, `cells[${i}]`));
    return { ok: true, document: { version: LOG_VERSION, cells } };
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    return { ok: false, error: { kind: 'invalid-structure', path: err.path, message: `Invalid log: ${err.path} ${err.problem}.` } };
  }
}

/**
 * Decodes and validates a log file. Never throws: every problem becomes a LogParseError.
 * An empty (or whitespace-only) file is an empty log, so "New File… x.s2slog" just works.
 */
export function parseLog(bytes: Uint8Array): ParseResult {
  let text: string;
  try {
    // fatal: a file that is not UTF-8 must not be "repaired" with U+FFFD and saved back.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { ok: false, error: { kind: 'encoding', message: 'The file is not valid UTF-8 text.' } };
  }
  return parseLogText(text);
}

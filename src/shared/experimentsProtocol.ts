/**
 * The experiments table's host ↔ webview protocol and the run annotations file it edits.
 *
 * Annotations (`annotations.json` in a run directory, see RUN_ANNOTATIONS_FILE) hold what the
 * user adds to a run: a name, notes, a star, hidden. Only the host writes the file (atomically);
 * the engine never reads it. It is untrusted JSON (hand edits): `parseAnnotations` keeps what
 * is valid and says what was not.
 *
 * Messages from the webview are untrusted and go through `parseExperimentsMessage`; the host
 * also checks that every run directory named is a row it sent. Nothing here imports `vscode`.
 */
import type { ExperimentRow, SortOrder, TableFilter } from './experimentsTable';
import { RUN_FILES } from './runDir';
import { describe, extraKey, fail, isRecord, isShortString, MAX_STRING, ok, type Parsed } from './validation';
import type { L10nBundle } from './l10nBundle';

export const EXPERIMENTS_VIEW_TYPE = 'seq2seqLab.experiments';

/** The file, in a run directory, that holds the run's annotations (the run-directory contract's). */
export const RUN_ANNOTATIONS_FILE = RUN_FILES.annotations;

/** Longest run name and notes. */
export const MAX_RUN_NAME = 200;
export const MAX_NOTES = 20_000;
/** Most run directories one message may name. */
export const MAX_RUNS_PER_MESSAGE = 1000;

export interface RunAnnotations {
  name?: string;
  notes?: string;
  starred?: boolean;
  hidden?: boolean;
}

/** The annotations of untrusted JSON: the valid fields, and the reasons the others were dropped. */
export function parseAnnotations(x: unknown): { annotations: RunAnnotations; problems: string[] } {
  const annotations: RunAnnotations = {};
  const problems: string[] = [];
  if (!isRecord(x)) return { annotations, problems: [`not a JSON object (got ${describe(x)})`] };
  if (x.name !== undefined) {
    if (isShortString(x.name, MAX_RUN_NAME)) annotations.name = x.name;
    else problems.push(`name must be a string of at most ${MAX_RUN_NAME} characters`);
  }
  if (x.notes !== undefined) {
    if (isShortString(x.notes, MAX_NOTES)) annotations.notes = x.notes;
    else problems.push(`notes must be a string of at most ${MAX_NOTES} characters`);
  }
  for (const key of ['starred', 'hidden'] as const) {
    if (x[key] === undefined) continue;
    if (typeof x[key] === 'boolean') annotations[key] = x[key];
    else problems.push(`${key} must be true or false`);
  }
  return { annotations, problems };
}

// ---------------------------------------------------------------------------------------------
// Messages.

/** host → experiments table */
export type HostToExperimentsMessage =
  /**
   * Every run of the runs directory (sent on `ready` and whenever a run changes). `canQueue`:
   * the queue's `seq2seqLab.queueFromRun` command exists, so rows offer "Queue with these settings". `l10n`: the host's bundle, absent in English.
   */
  | { type: 'rows'; rows: ExperimentRow[]; directory: string; canQueue: boolean; trusted: boolean; l10n?: L10nBundle }
  /** Scroll to, select and focus the row of `runDir` (the experiment log's "Show in Experiments"). */
  | { type: 'reveal'; runDir: string }
  | { type: 'failed'; message: string };

/** experiments table → host */
export type ExperimentsToHostMessage =
  | { type: 'ready' }
  /** A new name ('' gives the folder name back). */
  | { type: 'rename'; runDir: string; name: string }
  | { type: 'notes'; runDir: string; notes: string }
  | { type: 'star'; runDirs: string[]; starred: boolean }
  | { type: 'hide'; runDirs: string[]; hidden: boolean }
  /** The run's dashboard. */
  | { type: 'open'; runDir: string }
  /** The run comparison (hyperparameters, final metrics, overlaid curves). */
  | { type: 'compare'; runDirs: string[] }
  /** Delete, after the host's confirmation. */
  | { type: 'delete'; runDirs: string[] }
  /** Queue a run with this run's data and settings (the queue's `seq2seqLab.queueFromRun`). */
  | { type: 'queueFrom'; runDir: string }
  /** Open the Train Model form prefilled with this run's data and settings. */
  | { type: 'trainFrom'; runDir: string }
  /** The sweep page of the sweep this run is a trial of. */
  | { type: 'openSweep'; runDir: string }
  /** Save these rows with these columns (ids) as CSV, in this order. */
  | { type: 'exportCsv'; runDirs: string[]; columns: string[] }
  | { type: 'error'; message: string };

/** What the webview keeps with setState (restored after a reload). */
export interface ExperimentsState {
  sort?: SortOrder;
  filter: TableFilter;
  allHyperparameters: boolean;
  allMetrics: boolean;
}

const isPath = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= MAX_STRING;

function paths(x: unknown, where: string, min = 1): Parsed<string[]> {
  if (!Array.isArray(x) || x.length < min || x.length > MAX_RUNS_PER_MESSAGE || !x.every(isPath)) return fail(`${where} must be ${min} to ${MAX_RUNS_PER_MESSAGE} run directories`);
  return ok([...x]);
}

const FIELDS: Record<ExperimentsToHostMessage['type'], readonly string[]> = {
  ready: [],
  rename: ['runDir', 'name'],
  notes: ['runDir', 'notes'],
  star: ['runDirs', 'starred'],
  hide: ['runDirs', 'hidden'],
  open: ['runDir'],
  compare: ['runDirs'],
  delete: ['runDirs'],
  queueFrom: ['runDir'],
  trainFrom: ['runDir'],
  openSweep: ['runDir'],
  exportCsv: ['runDirs', 'columns'],
  error: ['message'],
};

/** Validates a message from the experiments webview. */
export function parseExperimentsMessage(x: unknown): Parsed<ExperimentsToHostMessage> {
  if (!isRecord(x)) return fail(`message must be an object (got ${describe(x)})`);
  const type = x.type;
  if (typeof type !== 'string' || !(type in FIELDS)) return fail(`unknown message type ${JSON.stringify(String(type).slice(0, 64))}`);
  const t = type as ExperimentsToHostMessage['type'];
  const extra = extraKey(x, ['type', ...FIELDS[t]]);
  if (extra) return fail(`unexpected field "${extra.slice(0, 64)}" in ${t}`);
  if (FIELDS[t].includes('runDir') && !isPath(x.runDir)) return fail(`${t}.runDir must be a non-empty string`);
  switch (t) {
    case 'ready': return ok({ type: 'ready' });
    case 'rename':
      if (!isShortString(x.name, MAX_RUN_NAME)) return fail(`rename.name must be a string of at most ${MAX_RUN_NAME} characters`);
      return ok({ type: 'rename', runDir: x.runDir as string, name: x.name });
    case 'notes':
      if (!isShortString(x.notes, MAX_NOTES)) return fail(`notes.notes must be a string of at most ${MAX_NOTES} characters`);
      return ok({ type: 'notes', runDir: x.runDir as string, notes: x.notes });
    case 'star':
    case 'hide': {
      const dirs = paths(x.runDirs, `${t}.runDirs`);
      if (!dirs.ok) return dirs;
      const flag = t === 'star' ? x.starred : x.hidden;
      if (typeof flag !== 'boolean') return fail(`${t}.${t === 'star' ? 'starred' : 'hidden'} must be true or false`);
      return ok(t === 'star' ? { type: 'star', runDirs: dirs.value, starred: flag } : { type: 'hide', runDirs: dirs.value, hidden: flag });
    }
    case 'open': return ok({ type: 'open', runDir: x.runDir as string });
    case 'queueFrom': return ok({ type: 'queueFrom', runDir: x.runDir as string });
    case 'trainFrom': return ok({ type: 'trainFrom', runDir: x.runDir as string });
    case 'openSweep': return ok({ type: 'openSweep', runDir: x.runDir as string });
    case 'compare':
    case 'delete': {
      const dirs = paths(x.runDirs, `${t}.runDirs`);
      return dirs.ok ? ok({ type: t, runDirs: dirs.value }) : dirs;
    }
    case 'exportCsv': {
      const dirs = paths(x.runDirs, 'exportCsv.runDirs', 0);
      if (!dirs.ok) return dirs;
      if (!Array.isArray(x.columns) || x.columns.length === 0 || x.columns.length > 500 || !x.columns.every(c => isShortString(c, 100))) return fail('exportCsv.columns must be 1 to 500 column ids');
      return ok({ type: 'exportCsv', runDirs: dirs.value, columns: [...x.columns] });
    }
    case 'error':
      if (!isShortString(x.message)) return fail('error.message must be a string of at most 4096 characters');
      return ok({ type: 'error', message: x.message });
  }
}

/** Validates the saved state (the serializer restores the panel only from a state that parses). */
export function parseExperimentsState(x: unknown): Parsed<ExperimentsState> {
  if (x === undefined || x === null) return ok({ filter: { text: '', columns: {}, showHidden: false, starredOnly: false }, allHyperparameters: false, allMetrics: false });
  if (!isRecord(x)) return fail(`state must be an object (got ${describe(x)})`);
  const f = isRecord(x.filter) ? x.filter : {};
  const columns: Record<string, string> = {};
  if (isRecord(f.columns)) for (const [k, v] of Object.entries(f.columns)) if (isShortString(k, 100) && isShortString(v, 500)) columns[k] = v;
  const state: ExperimentsState = {
    filter: { text: isShortString(f.text, 500) ? f.text : '', columns, showHidden: f.showHidden === true, starredOnly: f.starredOnly === true },
    allHyperparameters: x.allHyperparameters === true,
    allMetrics: x.allMetrics === true,
  };
  if (isRecord(x.sort) && isShortString(x.sort.column, 100) && typeof x.sort.descending === 'boolean') state.sort = { column: x.sort.column, descending: x.sort.descending };
  return ok(state);
}

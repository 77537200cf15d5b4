/**
 * The host ↔ webview protocol of the three panels (train form, dashboard, attention).
 *
 * One discriminated union per panel and direction. Messages from the host are trusted (the host
 * built them); every message a webview sends is untrusted input and goes through the panel's
 * `parse…Message` validator before the host looks at it. A validator never throws: it returns
 * the typed message or a reason, and the panel logs and drops what does not parse.
 *
 * Also validated here: the state a webview saved with `setState`, which comes back to the host
 * through `WebviewPanelSerializer.deserializeWebviewPanel` after a window reload.
 *
 * Nothing here imports `vscode` or the DOM: host, webviews and unit tests all import it.
 */
import type { ConfigError, ResolvedShape, Seq2SeqConfig } from './config';
import type { DatasetCard } from './dataCard';
import { DataChoice, dataChoiceOf, dataChoiceProblem, RunRequest } from './dataChoice';
import type { TargetUnit } from './metrics';
import type { ProgressEvent, RunDecisions, TaskInfo, Translation } from './protocol';
import type { L10nBundle } from './l10nBundle';
import { describe, extraKey, fail, isRecord, isShortString, MAX_STRING, ok, type Parsed } from './validation';

// ---------------------------------------------------------------------------------------------
// View types (the `viewType` of each panel, also the key of its serializer).

export const TRAIN_FORM_VIEW_TYPE = 'seq2seqLab.trainForm';
export const DASHBOARD_VIEW_TYPE = 'seq2seqLab.dashboard';
export const ATTENTION_VIEW_TYPE = 'seq2seqLab.attention';

// ---------------------------------------------------------------------------------------------
// Train form.

/** host → form */
export type HostToFormMessage =
  /**
   * Everything the form needs to render; sent in reply to `ready`. `data` preselects the dataset
   * (a re-run). `l10n` is the extension's translation bundle (`vscode.l10n.bundle`), absent in
   * English; the webview checks it with `parseL10nBundle`.
   */
  | { type: 'init'; tasks: TaskInfo[]; initial: Partial<Seq2SeqConfig>; data?: DataChoice; l10n?: L10nBundle }
  /** The file the user chose with "Choose file…" (`path` undefined when the dialog was cancelled). */
  | { type: 'dataFile'; path?: string }
  /** The host refused a `start` (its own validation failed); the form shows the errors. */
  | { type: 'startRejected'; errors: ConfigError[] }
  /** The host accepted a `start` and training begins. */
  | { type: 'started' }
  /** The host accepted a `queue`: `count` runs were added, `waiting` are in the queue now. */
  | { type: 'queued'; count: number; waiting: number }
  /** The engine's dataset card for the form's `inspect` with this `requestId`. */
  | { type: 'dataCard'; requestId: number; card: DatasetCard }
  /** The engine could not inspect the data (unreadable file, too many bad lines…), in words. */
  | { type: 'dataCardFailed'; requestId: number; message: string };

/** A sweep as the form sends it (the host parses and expands it). */
export interface FormSweep {
  values: Record<string, string>;
  seeds: number;
  random: number;
  /** The median stopping rule watches the trials (absent: on). */
  prune?: boolean;
}

/** form → host */
export type FormToHostMessage =
  | { type: 'ready' }
  | { type: 'pickDataFile' }
  | ({ type: 'start' } & RunRequest)
  /**
   * Adds the run to the queue, or with `sweep` the sweep's trials: `values` maps a setting to its
   * sweep text (src/shared/sweep.ts syntax), over `config`; `random` > 0 draws that many settings
   * instead of the grid; each is trained with `seeds` seeds.
   */
  | ({ type: 'queue'; sweep?: FormSweep } & RunRequest)
  /**
   * Asks for the dataset card of the chosen data under the data settings typed so far. A newer
   * `inspect` supersedes (cancels) the one in flight; `requestId` (increasing) tags the answer.
   */
  | ({ type: 'inspect'; requestId: number } & RunRequest)
  /** The card is no longer wanted (the user switched to a built-in task): cancel the request in flight. */
  | { type: 'cancelInspect' }
  /** An unexpected error inside the webview, for the host's log. */
  | { type: 'error'; message: string };

// ---------------------------------------------------------------------------------------------
// Dashboard.

/** host → dashboard */
export type HostToDashboardMessage =
  /**
   * The whole history of the run so far; replaces whatever the dashboard showed. `run` is what
   * the run directory says about the run (for a run whose `start` event is not in `events`:
   * one from an earlier session or the CLI). `l10n` as in the form's `init`.
   */
  | { type: 'history'; runDir: string; events: ProgressEvent[]; run?: DashboardRunInfo; l10n?: L10nBundle }
  /** One new event of the run. */
  | { type: 'event'; event: ProgressEvent };

/**
 * What the host read from a run's directory for its dashboard (validated there): what `auto`
 * decided (config.json's `decisions`) and what a target word is (result.json's `targetUnit`,
 * else `phoneme` for the g2p task). A `start` event in the history says the same and wins.
 */
export interface DashboardRunInfo {
  decisions?: RunDecisions;
  targetUnit?: TargetUnit;
  /** The run's shape (config.json's `shape`): which curves mean something for it. */
  shape?: ResolvedShape;
}

/** dashboard → host */
export type DashboardToHostMessage = { type: 'ready' } | { type: 'error'; message: string };

/** What the dashboard saves with `setState`: enough to reload the history after a reload. */
export interface DashboardState {
  runDir: string;
}

// ---------------------------------------------------------------------------------------------
// Localization: the bundle type and its check live in l10nBundle.ts (every panel protocol uses them).

export { MAX_L10N_ENTRIES, parseL10nBundle } from './l10nBundle';
export type { L10nBundle } from './l10nBundle';

// ---------------------------------------------------------------------------------------------
// Validators.

export type { Parsed } from './validation';
export { MAX_STRING } from './validation';

/** The checks every panel shares: an object with a known string `type` and nothing extra. */
function parseCommon(x: unknown, types: readonly string[]): Parsed<Record<string, unknown> & { type: string }> {
  if (!isRecord(x)) return fail(`message must be an object (got ${describe(x)})`);
  const type = x.type;
  if (typeof type !== 'string') return fail('message has no string "type"');
  if (!types.includes(type)) return fail(`unknown message type ${JSON.stringify(type.slice(0, 64))}`);
  return ok(x as Record<string, unknown> & { type: string });
}

function parseErrorOrReady<T>(x: Record<string, unknown> & { type: string }): Parsed<T> {
  if (x.type === 'ready') {
    const extra = extraKey(x, ['type']);
    return extra ? fail(`unexpected field "${extra}" in ready`) : ok({ type: 'ready' } as T);
  }
  // 'error'
  const extra = extraKey(x, ['type', 'message']);
  if (extra) return fail(`unexpected field "${extra}" in error`);
  if (!isShortString(x.message)) return fail('error.message must be a string of at most 4096 characters');
  return ok({ type: 'error', message: x.message } as T);
}

/**
 * The config and dataset of a `start` or `inspect`: a flat object of scalars (a copy) and
 * exactly one non-empty `task` or `dataPath`.
 */
function parseConfigAndDataset(m: Record<string, unknown>, what: string): Parsed<RunRequest> {
  if (!isRecord(m.config)) return fail(`${what}.config must be an object (got ${describe(m.config)})`);
  const entries = Object.entries(m.config);
  if (entries.length > 200) return fail(`${what}.config has too many fields`);
  for (const [key, value] of entries) {
    const t = typeof value;
    if (t !== 'number' && t !== 'boolean' && !(t === 'string' && (value as string).length <= 256)) {
      return fail(`${what}.config.${key.slice(0, 64)} must be a number, boolean or short string`);
    }
  }
  const problem = dataChoiceProblem(m, MAX_STRING);
  if (problem) return fail(`${what} ${problem}`);
  return ok({ config: { ...(m.config as Partial<Seq2SeqConfig>) }, ...dataChoiceOf(m as DataChoice) });
}

function parseFormSweep(x: unknown): Parsed<FormSweep> {
  if (!isRecord(x)) return fail(`queue.sweep must be an object (got ${describe(x)})`);
  const extra = extraKey(x, ['values', 'seeds', 'random', 'prune']);
  if (extra) return fail(`unexpected field "${extra}" in queue.sweep`);
  if (!isRecord(x.values)) return fail('queue.sweep.values must be an object');
  const values = Object.entries(x.values);
  if (values.length > 100 || values.some(([k, v]) => k.length > 64 || !isShortString(v, 1024))) return fail('queue.sweep.values must map setting names to short strings');
  if (!Number.isSafeInteger(x.seeds) || !Number.isSafeInteger(x.random)) return fail('queue.sweep.seeds and random must be whole numbers');
  if (x.prune !== undefined && typeof x.prune !== 'boolean') return fail('queue.sweep.prune must be true or false');
  return ok({ values: Object.fromEntries(values) as Record<string, string>, seeds: x.seeds as number, random: x.random as number, ...(x.prune === false ? { prune: false } : {}) });
}

/**
 * Validates a message from the train form. The config's *shape* is checked here (a plain object
 * of numbers, booleans and strings); its values are checked by `validateConfig` in the panel,
 * which answers with `startRejected` so the form can show the errors next to the fields.
 */
export function parseFormMessage(x: unknown): Parsed<FormToHostMessage> {
  const common = parseCommon(x, ['ready', 'pickDataFile', 'start', 'queue', 'inspect', 'cancelInspect', 'error']);
  if (!common.ok) return common;
  const m = common.value;
  switch (m.type) {
    case 'ready':
    case 'error':
      return parseErrorOrReady(m);
    case 'pickDataFile':
    case 'cancelInspect': {
      const extra = extraKey(m, ['type']);
      return extra ? fail(`unexpected field "${extra}" in ${m.type}`) : ok({ type: m.type });
    }
    case 'start':
    case 'queue':
    case 'inspect': {
      const allowed = m.type === 'inspect' ? ['type', 'requestId', 'config', 'task', 'dataPath'] : m.type === 'queue' ? ['type', 'config', 'task', 'dataPath', 'sweep'] : ['type', 'config', 'task', 'dataPath'];
      const extra = extraKey(m, allowed);
      if (extra) return fail(`unexpected field "${extra}" in ${m.type}`);
      const dataset = parseConfigAndDataset(m, m.type);
      if (!dataset.ok) return dataset;
      if (m.type === 'start') return ok({ type: 'start', ...dataset.value });
      if (m.type === 'queue') {
        if (m.sweep === undefined) return ok({ type: 'queue', ...dataset.value });
        const sweep = parseFormSweep(m.sweep);
        return sweep.ok ? ok({ type: 'queue', ...dataset.value, sweep: sweep.value }) : sweep;
      }
      if (!Number.isSafeInteger(m.requestId) || (m.requestId as number) < 0) return fail('inspect.requestId must be a whole number ≥ 0');
      return ok({ type: 'inspect', requestId: m.requestId as number, ...dataset.value });
    }
  }
  return fail('unreachable');
}

/** Validates a message from the dashboard. */
export function parseDashboardMessage(x: unknown): Parsed<DashboardToHostMessage> {
  const common = parseCommon(x, ['ready', 'error']);
  return common.ok ? parseErrorOrReady(common.value) : common;
}


/** Validates the dashboard's saved state (from the serializer after a reload). */
export function parseDashboardState(x: unknown): Parsed<DashboardState> {
  if (!isRecord(x)) return fail(`state must be an object (got ${describe(x)})`);
  if (!isShortString(x.runDir) || x.runDir === '') return fail('state.runDir must be a non-empty string');
  return ok({ runDir: x.runDir });
}


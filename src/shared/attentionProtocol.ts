/**
 * The host ↔ webview protocol of the attention panel (webview/attention): the translations it
 * can show (last translations, typed text, what-if decodings), the run's validation sample at
 * every evaluation (live mode), and what the webview asks of the host (translate typed text,
 * decode a what-if, highlight a row's source tokens in the editor, save an export).
 *
 * Messages from the host are trusted; everything the webview sends, and the state it saved with
 * `setState`, goes through `parseAttentionMessage` / `parseAttentionState`, which never throw.
 * Re-exported by webviewProtocol.ts; nothing here imports `vscode` or the DOM.
 */
import type { EvalSample, Translation } from './protocol';
import type { L10nBundle } from './l10nBundle';
import { describe, extraKey, fail, isRecord, isShortString, MAX_STRING, ok, type Parsed } from './validation';


/** Where a translation in the attention view came from. */
export type AttentionOrigin = 'selection' | 'command' | 'typed' | 'whatIf';

/** What a what-if decoding replaced, so the panel can show how the output and attention changed. */
export interface WhatIfInfo {
  /** Output position (0-based) whose token the user replaced; tokens before it were kept. */
  position: number;
  /** The translation it started from (the chosen candidate or validation sample). */
  baseLabel: string;
  base: { tokens: string[]; probabilities: number[]; attention: number[][] };
}

/** One translation the panel can show. `id` is the host's. */
export interface AttentionItem {
  id: string;
  label: string;
  origin: AttentionOrigin;
  /** The model (run name) that produced it. */
  model?: string;
  translation: Translation;
  whatIf?: WhatIfInfo;
}

/** The run's fixed validation sample at one evaluation. */
export interface AttentionEvaluation {
  step: number;
  epoch: number;
  sample: EvalSample;
}

/** The run whose validation sample the panel follows (live while it trains). */
export interface LiveRun {
  runDir: string;
  name: string;
  training: boolean;
  evaluations: AttentionEvaluation[];
}

/** What a webview request refers to: a candidate of a translation, or an evaluation of the live run. */
export type AttentionRef = { kind: 'item'; itemId: string; candidate: number } | { kind: 'evaluation'; step: number };

/** host → attention */
export type HostToAttentionMessage =
  /**
   * The translations the panel can show (newest first); `selectedId` is shown now. The first
   * message the panel gets: `l10n` is the extension's translation bundle (`vscode.l10n.bundle`,
   * absent in English), which the webview checks with `parseL10nBundle` before it renders.
   */
  | { type: 'items'; items: AttentionItem[]; selectedId?: string; l10n?: L10nBundle }
  /** The followed run and its evaluations so far (undefined: none). */
  | { type: 'live'; live?: LiveRun }
  /** One new evaluation of the followed run. */
  | { type: 'evaluation'; runDir: string; evaluation: AttentionEvaluation }
  /** The engine is working on a request of this panel (loading state), or done. */
  | { type: 'busy'; busy: boolean; message?: string }
  /** A request of this panel failed; the panel shows why. */
  | { type: 'failed'; message: string }
  /** An export was saved. */
  | { type: 'exported'; path: string };

/** attention → host */
export type AttentionToHostMessage =
  | { type: 'ready' }
  | { type: 'error'; message: string }
  /** Translate typed text with the selected model. */
  | { type: 'translate'; text: string; beamSize: number }
  /** What-if: keep `ref`'s tokens before `position`, force `token` there, decode the rest. */
  | { type: 'whatIf'; ref: AttentionRef; position: number; token: string }
  /** Highlight in the editor the source tokens that output row `row` of `ref` attends to. */
  | { type: 'highlightRow'; ref: AttentionRef; row: number }
  /** Save the current map: a PNG data URL or JSON text; `name` is the suggested file name. */
  | { type: 'export'; format: 'png' | 'json'; data: string; name: string };

/** What the attention panel saves with `setState` (live data comes back from the host). */
export interface AttentionState {
  items: AttentionItem[];
  selectedId?: string;
}

// ---------------------------------------------------------------------------------------------
// Validators.

/** Largest translation (tokens per side). */
export const MAX_TOKENS = 2048;
/** Largest export payload (a data URL of a big map, or its JSON). */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
/** Widest beam the panel may ask for. */
export const MAX_PANEL_BEAM = 16;
const MAX_ITEMS = 64;
export const PNG_PREFIX = 'data:image/png;base64,';

function isIndex(x: unknown, max: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max;
}
function isStringArray(x: unknown, max: number): x is string[] {
  return Array.isArray(x) && x.length <= max && x.every(s => isShortString(s));
}
function isProbabilityArray(x: unknown, length: number): x is number[] {
  return Array.isArray(x) && x.length === length && x.every(p => typeof p === 'number' && Number.isFinite(p) && p >= 0 && p <= 1);
}

/** [tokens][sourceTokens] finite weights, or rows that are all empty (no attention). */
function checkAttention(attention: unknown, rows: number, cols: number, what: string): string | undefined {
  if (!Array.isArray(attention) || attention.length > MAX_TOKENS) return `${what}.attention must be an array of rows`;
  for (const row of attention) {
    if (!Array.isArray(row) || (row.length !== 0 && row.length !== cols)) return `${what}.attention rows must be empty or have ${cols} columns (one per source token)`;
    if (!row.every(v => typeof v === 'number' && Number.isFinite(v))) return `${what}.attention must hold finite numbers`;
  }
  if (attention.some(row => (row as unknown[]).length > 0) && attention.length !== rows) return `${what}.attention must have one row per output token`;
  return undefined;
}

type Candidate = Translation['candidates'][number];

function parseCandidate(x: unknown, cols: number): Parsed<Candidate> {
  if (!isRecord(x)) return fail('translation.candidates must hold objects');
  if (!isShortString(x.output) || !isStringArray(x.tokens, MAX_TOKENS)) return fail('a candidate needs output and tokens');
  if (!isProbabilityArray(x.probabilities, x.tokens.length)) return fail('a candidate needs one probability in [0, 1] per token');
  if (typeof x.logProbability !== 'number' || typeof x.score !== 'number' || Number.isNaN(x.logProbability) || Number.isNaN(x.score)) {
    return fail('a candidate needs numeric logProbability and score');
  }
  const problem = checkAttention(x.attention, x.tokens.length, cols, 'candidate');
  if (problem) return fail(problem);
  return ok({
    output: x.output, tokens: [...x.tokens], probabilities: [...x.probabilities], logProbability: x.logProbability, score: x.score,
    attention: (x.attention as number[][]).map(row => [...row]),
  });
}

/**
 * Validates a Translation: tokens, one probability in [0, 1] per output token, and an attention
 * matrix that is either empty rows (no attention) or [outputTokens][sourceTokens] of finite
 * numbers; the same for each beam candidate.
 */
export function parseTranslation(x: unknown): Parsed<Translation> {
  if (!isRecord(x)) return fail(`translation must be an object (got ${describe(x)})`);
  if (!isShortString(x.source) || !isShortString(x.output)) return fail('translation.source and .output must be strings');
  if (!isStringArray(x.sourceTokens, MAX_TOKENS)) return fail('translation.sourceTokens must be an array of strings');
  if (!isStringArray(x.tokens, MAX_TOKENS)) return fail('translation.tokens must be an array of strings');
  if (!isProbabilityArray(x.probabilities, x.tokens.length)) {
    return fail('translation.probabilities must hold one number in [0, 1] per output token');
  }
  const problem = checkAttention(x.attention, x.tokens.length, x.sourceTokens.length, 'translation');
  if (problem) return fail(problem);
  const raw = x.candidates === undefined ? [] : x.candidates;
  if (!Array.isArray(raw) || raw.length > 64) return fail('translation.candidates must be an array');
  const candidates: Candidate[] = [];
  for (const c of raw) {
    const parsed = parseCandidate(c, x.sourceTokens.length);
    if (!parsed.ok) return parsed;
    candidates.push(parsed.value);
  }
  return ok({
    source: x.source,
    sourceTokens: [...x.sourceTokens],
    output: x.output,
    tokens: [...x.tokens],
    probabilities: [...x.probabilities],
    attention: (x.attention as number[][]).map(row => [...row]),
    candidates,
  });
}

const ORIGINS: readonly AttentionOrigin[] = ['selection', 'command', 'typed', 'whatIf'];

function parseItem(x: unknown): Parsed<AttentionItem> {
  if (!isRecord(x)) return fail('state.items must hold objects');
  if (!isShortString(x.id, 64) || x.id === '') return fail('an item needs an id');
  if (!isShortString(x.label)) return fail('an item needs a label');
  if (!ORIGINS.includes(x.origin as AttentionOrigin)) return fail('an item needs a known origin');
  if (x.model !== undefined && !isShortString(x.model)) return fail('item.model must be a string');
  const translation = parseTranslation(x.translation);
  if (!translation.ok) return translation;
  const item: AttentionItem = { id: x.id, label: x.label, origin: x.origin as AttentionOrigin, translation: translation.value };
  if (x.model !== undefined) item.model = x.model as string;
  if (x.whatIf !== undefined) {
    const w = x.whatIf;
    if (!isRecord(w) || !isIndex(w.position, MAX_TOKENS) || !isShortString(w.baseLabel) || !isRecord(w.base)) return fail('item.whatIf is malformed');
    const base = w.base;
    if (!isStringArray(base.tokens, MAX_TOKENS) || !isProbabilityArray(base.probabilities, base.tokens.length)) return fail('item.whatIf.base is malformed');
    const problem = checkAttention(base.attention, base.tokens.length, translation.value.sourceTokens.length, 'whatIf.base');
    if (problem) return fail(problem);
    item.whatIf = {
      position: w.position,
      baseLabel: w.baseLabel,
      base: { tokens: [...base.tokens], probabilities: [...base.probabilities], attention: (base.attention as number[][]).map(r => [...r]) },
    };
  }
  return ok(item);
}

/**
 * Validates the attention panel's saved state (it comes back through the serializer after a
 * reload). The older `{ translation }` state becomes one item.
 */
export function parseAttentionState(x: unknown): Parsed<AttentionState> {
  if (!isRecord(x)) return fail(`state must be an object (got ${describe(x)})`);
  if (x.items === undefined && x.translation !== undefined) {
    const translation = parseTranslation(x.translation);
    if (!translation.ok) return translation;
    return ok({ items: [{ id: 'restored', label: translation.value.source, origin: 'command', translation: translation.value }], selectedId: 'restored' });
  }
  if (!Array.isArray(x.items) || x.items.length > MAX_ITEMS) return fail('state.items must be an array (or state.translation a translation)');
  const items: AttentionItem[] = [];
  for (const raw of x.items) {
    const item = parseItem(raw);
    if (!item.ok) return item;
    items.push(item.value);
  }
  const state: AttentionState = { items };
  if (x.selectedId !== undefined) {
    if (!isShortString(x.selectedId, 64)) return fail('state.selectedId must be a string');
    state.selectedId = x.selectedId;
  }
  return ok(state);
}

function parseRef(x: unknown): Parsed<AttentionRef> {
  if (!isRecord(x)) return fail(`ref must be an object (got ${describe(x)})`);
  if (x.kind === 'item') {
    const extra = extraKey(x, ['kind', 'itemId', 'candidate']);
    if (extra) return fail(`unexpected field "${extra}" in ref`);
    if (!isShortString(x.itemId, 64) || x.itemId === '') return fail('ref.itemId must be a short string');
    if (!isIndex(x.candidate, 63)) return fail('ref.candidate must be a whole number from 0 to 63');
    return ok({ kind: 'item', itemId: x.itemId, candidate: x.candidate });
  }
  if (x.kind === 'evaluation') {
    const extra = extraKey(x, ['kind', 'step']);
    if (extra) return fail(`unexpected field "${extra}" in ref`);
    if (!isIndex(x.step, Number.MAX_SAFE_INTEGER)) return fail('ref.step must be a whole number');
    return ok({ kind: 'evaluation', step: x.step });
  }
  return fail('ref.kind must be "item" or "evaluation"');
}

const TYPES = ['ready', 'error', 'translate', 'whatIf', 'highlightRow', 'export'] as const;
const FIELDS: Record<(typeof TYPES)[number], readonly string[]> = {
  ready: ['type'],
  error: ['type', 'message'],
  translate: ['type', 'text', 'beamSize'],
  whatIf: ['type', 'ref', 'position', 'token'],
  highlightRow: ['type', 'ref', 'row'],
  export: ['type', 'format', 'data', 'name'],
};

/** Validates a message from the attention webview. */
export function parseAttentionMessage(x: unknown): Parsed<AttentionToHostMessage> {
  if (!isRecord(x)) return fail(`message must be an object (got ${describe(x)})`);
  const type = x.type;
  if (typeof type !== 'string') return fail('message has no string "type"');
  if (!(TYPES as readonly string[]).includes(type)) return fail(`unknown message type ${JSON.stringify(type.slice(0, 64))}`);
  const t = type as (typeof TYPES)[number];
  const extra = extraKey(x, FIELDS[t]);
  if (extra) return fail(`unexpected field "${extra.slice(0, 64)}" in ${t}`);
  switch (t) {
    case 'ready':
      return ok({ type: 'ready' });
    case 'error':
      if (!isShortString(x.message)) return fail('error.message must be a string of at most 4096 characters');
      return ok({ type: 'error', message: x.message });
    case 'translate': {
      if (!isShortString(x.text) || x.text.trim() === '') return fail('translate.text must be a non-empty string of at most 4096 characters');
      if (!isIndex(x.beamSize, MAX_PANEL_BEAM) || x.beamSize < 1) return fail(`translate.beamSize must be a whole number from 1 to ${MAX_PANEL_BEAM}`);
      return ok({ type: 'translate', text: x.text, beamSize: x.beamSize });
    }
    case 'whatIf': {
      const ref = parseRef(x.ref);
      if (!ref.ok) return ref;
      if (!isIndex(x.position, MAX_TOKENS - 1)) return fail('whatIf.position must be a token index');
      if (!isShortString(x.token, 256) || x.token === '') return fail('whatIf.token must be a non-empty string of at most 256 characters');
      return ok({ type: 'whatIf', ref: ref.value, position: x.position, token: x.token });
    }
    case 'highlightRow': {
      const ref = parseRef(x.ref);
      if (!ref.ok) return ref;
      if (!isIndex(x.row, MAX_TOKENS - 1)) return fail('highlightRow.row must be a token index');
      return ok({ type: 'highlightRow', ref: ref.value, row: x.row });
    }
    case 'export': {
      if (x.format !== 'png' && x.format !== 'json') return fail('export.format must be "png" or "json"');
      if (typeof x.data !== 'string' || x.data.length > MAX_EXPORT_CHARS) return fail('export.data must be a string of at most 64 MiB');
      if (!isShortString(x.name, 128) || !/^[\w.\- ]{1,128}$/.test(x.name)) return fail('export.name must be a plain file name');
      if (x.format === 'png' && !(x.data.startsWith(PNG_PREFIX) && /^[A-Za-z0-9+/]+=*$/.test(x.data.slice(PNG_PREFIX.length)))) {
        return fail('export.data must be a base64 PNG data URL');
      }
      if (x.format === 'json') {
        try {
          if (!isRecord(JSON.parse(x.data))) return fail('export.data must be a JSON object');
        } catch {
          return fail('export.data is not JSON');
        }
      }
      return ok({ type: 'export', format: x.format, data: x.data, name: x.name });
    }
  }
  return fail('unreachable');
}


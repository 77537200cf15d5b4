/**
 * The train form's logic, free of the DOM and of the UI toolkit (so it is unit-tested under
 * Node and survives a toolkit swap): raw field values ↔ config, the engine's own validation
 * per field and across fields, presets, and the dataset choice.
 */
import { CONFIG_FIELDS, DEFAULT_CONFIG, PRESETS, checkField, validateConfig, type FieldSpec, type Seq2SeqConfig } from '../../src/shared/config';
import { isSweepText, parseAxis } from '../../src/shared/sweep';
import { localizedMessage, t } from '../common/l10n';
import type { DataChoice } from '../../src/shared/dataChoice';

/** What a field's control holds: text for numbers and enums, a boolean for checkboxes. */
export type RawValue = string | boolean;
export type RawValues = Record<string, RawValue>;

export const GROUPS = ['data', 'model', 'training', 'decoding'] as const;
export type Group = (typeof GROUPS)[number];

/** English; the form shows them through t(). */
export const GROUP_LABELS: Record<Group, string> = {
  data: 'Data',
  model: 'Model',
  training: 'Training',
  decoding: 'Decoding',
};

export function fieldsOf(group: Group): FieldSpec[] {
  return CONFIG_FIELDS.filter(f => f.group === group);
}

export function rawFromValue(spec: FieldSpec, value: unknown): RawValue {
  if (spec.type === 'bool') return value === true;
  return value === undefined || value === null ? '' : String(value);
}

/** Raw values of a whole config (missing keys take the defaults). */
export function rawFromConfig(config: Partial<Seq2SeqConfig>): RawValues {
  const full = { ...DEFAULT_CONFIG, ...config } as Record<string, unknown>;
  const raw: RawValues = {};
  for (const spec of CONFIG_FIELDS) raw[spec.key] = rawFromValue(spec, full[spec.key]);
  return raw;
}

/** The typed value of a raw value; numbers that do not parse become NaN (which checkField rejects). */
export function parseRaw(spec: FieldSpec, raw: RawValue | undefined): unknown {
  switch (spec.type) {
    case 'int':
    case 'float': {
      if (typeof raw !== 'string' || raw.trim() === '') return NaN;
      return Number(raw.trim());
    }
    case 'bool':
      return raw === true;
    case 'enum':
      return raw;
  }
}

export interface FormCheck {
  /** The config from the fields whose values are valid (a swept field: its first value). */
  config: Partial<Seq2SeqConfig>;
  /** key → message, from checkField (per field) and validateConfig (across fields). */
  errors: Map<string, string>;
  /** key → sweep text, for the numeric fields that hold a valid list or range (src/shared/sweep.ts). */
  sweep: Record<string, string>;
}

/**
 * Validates every field with the engine's `checkField`, then the whole config with `validateConfig`:
 * the engine's messages, in the webview's language (English until a bundle is loaded).
 */
export function checkValues(raw: RawValues): FormCheck {
  const errors = new Map<string, string>();
  const config: Record<string, unknown> = {};
  const sweep: Record<string, string> = {};
  for (const spec of CONFIG_FIELDS) {
    const text = raw[spec.key];
    if ((spec.type === 'int' || spec.type === 'float') && typeof text === 'string' && isSweepText(text)) {
      try {
        config[spec.key] = parseAxis(spec.key, text, localizedMessage).values[0];
        sweep[spec.key] = text;
      } catch (error) {
        errors.set(spec.key, (error as Error).message);
      }
      continue;
    }
    const value = parseRaw(spec, raw[spec.key] ?? rawFromValue(spec, DEFAULT_CONFIG[spec.key]));
    const problem = checkField(spec, value, localizedMessage);
    if (problem) errors.set(spec.key, problem);
    else config[spec.key] = value;
  }
  for (const error of validateConfig(config, localizedMessage).errors) {
    if (!errors.has(error.key)) errors.set(error.key, error.message);
  }
  return { config: config as Partial<Seq2SeqConfig>, errors, sweep };
}

/**
 * The form's "More values to sweep" text: `key = values` parts separated by `;` (for choice and
 * on/off settings, whose controls hold one value; numeric ones can also go here). Returns the
 * settings' sweep texts, or the first problem in words.
 */
export function parseSweepExtras(text: string): { values: Record<string, string>; error?: string } {
  const values: Record<string, string> = {};
  for (const part of text.split(';').map(p => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = eq > 0 ? part.slice(0, eq).trim() : '';
    if (!key) return { values, error: t('Write each setting to sweep as key = values (got "{0}")', part) };
    try {
      parseAxis(key, part.slice(eq + 1), localizedMessage);
    } catch (error) {
      return { values, error: (error as Error).message };
    }
    values[key] = part.slice(eq + 1).trim();
  }
  return { values };
}

/** A whole number from `min` to `max` typed in a field, or undefined. */
export function wholeNumberIn(text: string, min: number, max: number): number | undefined {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

/** The full config of a preset (defaults under the preset's values). */
export function presetConfig(name: string): Seq2SeqConfig {
  return { ...DEFAULT_CONFIG, ...(PRESETS[name]?.config ?? {}) };
}

/** The name of the preset `raw` equals, or '' (custom). */
export function matchPreset(raw: RawValues): string {
  for (const name of Object.keys(PRESETS)) {
    const preset = rawFromConfig(presetConfig(name));
    if (CONFIG_FIELDS.every(spec => valuesEqual(spec, preset[spec.key], raw[spec.key]))) return name;
  }
  return '';
}

function valuesEqual(spec: FieldSpec, a: RawValue | undefined, b: RawValue | undefined): boolean {
  if (spec.type === 'int' || spec.type === 'float') return parseRaw(spec, a) === parseRaw(spec, b);
  return a === b;
}

/**
 * What the form's data section shows: a task, or the file tab with a file picked or not yet.
 * Saved with setState; a run is asked for with the DataChoice it makes (`choiceOf`).
 */
export type DataSelection = { kind: 'task'; task: string } | { kind: 'file'; path: string | undefined };

/** The dataset a selection asks for; undefined while the file tab has no file. */
export function choiceOf(selection: DataSelection): DataChoice | undefined {
  if (selection.kind === 'task') return { task: selection.task };
  return selection.path ? { dataPath: selection.path } : undefined;
}

/** The selection that shows a run's data (a re-run from the experiment log). */
export function selectionOf(choice: DataChoice): DataSelection {
  return choice.task !== undefined ? { kind: 'task', task: choice.task } : { kind: 'file', path: choice.dataPath };
}

/** Why the dataset choice cannot start a run, or undefined. */
export function datasetError(source: DataSelection, taskNames: readonly string[]): string | undefined {
  if (source.kind === 'task') {
    if (!taskNames.length) return t('No built-in tasks are available: choose a file.');
    return taskNames.includes(source.task) ? undefined : t('Choose a built-in task.');
  }
  return source.path ? undefined : t('Choose a data file (TSV or JSONL).');
}

/** What the form saves with setState, so a hidden and re-shown form keeps its edits. */
export interface FormState {
  raw: RawValues;
  source: DataSelection;
  /** The sweep section's texts: more values, seeds, random samples. */
  sweep?: SweepTexts;
}

export interface SweepTexts {
  extras: string;
  seeds: string;
  random: string;
  /** The median stopping rule (on unless turned off). */
  prune?: boolean;
}

export const DEFAULT_SWEEP_TEXTS: SweepTexts = { extras: '', seeds: '1', random: '0', prune: true };

/** Validates saved form state (it is only ever written by this webview, but may be from an older version). */
export function parseFormState(x: unknown): FormState | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const { raw, source } = x as { raw?: unknown; source?: unknown };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const values: RawValues = {};
  for (const spec of CONFIG_FIELDS) {
    const v = (raw as Record<string, unknown>)[spec.key];
    if (spec.type === 'bool' ? typeof v !== 'boolean' : typeof v !== 'string') return undefined;
    values[spec.key] = v as RawValue;
  }
  if (typeof source !== 'object' || source === null) return undefined;
  const s = source as { kind?: unknown; task?: unknown; path?: unknown };
  // The sweep texts are kept when well-formed (state from before sweeps has none).
  const saved = (x as { sweep?: unknown }).sweep as Record<string, unknown> | undefined;
  const sweep = saved && typeof saved === 'object' && ['extras', 'seeds', 'random'].every(k => typeof saved[k] === 'string')
    ? { sweep: { extras: saved.extras as string, seeds: saved.seeds as string, random: saved.random as string, prune: saved.prune !== false } } : {};
  if (s.kind === 'task' && typeof s.task === 'string') return { raw: values, source: { kind: 'task', task: s.task }, ...sweep };
  if (s.kind === 'file' && (s.path === undefined || typeof s.path === 'string')) return { raw: values, source: { kind: 'file', path: s.path as string | undefined }, ...sweep };
  return undefined;
}

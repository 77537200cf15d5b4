/**
 * The text of a run's code cell: a small JSON "recipe" (the data and the settings that differ
 * from the defaults). Running the cell opens the Train Model form with it, so a user can tweak
 * a value in place and re-run. An untouched recipe re-runs the exact recorded configuration,
 * which stays right even if a later version changes a default.
 */
import { CONFIG_FIELDS, DEFAULT_CONFIG, type Seq2SeqConfig, validateConfig } from '../config';
import type { RunCell } from './types';
import type { DataChoice } from '../dataChoice';

export interface RerunRequest {
  config: Seq2SeqConfig;
  data: DataChoice;
}

/** Settings of `config` whose value differs from the default (unknown keys included), in schema order. */
export function changedSettings(config: RunCell['config']): Array<[string, RunCell['config'][string]]> {
  const defaults = DEFAULT_CONFIG as unknown as Record<string, unknown>;
  const order = CONFIG_FIELDS.map(field => field.key as string);
  const keys = [...order.filter(key => key in config), ...Object.keys(config).filter(key => !order.includes(key)).sort()];
  return keys.filter(key => config[key] !== defaults[key]).map(key => [key, config[key]]);
}

export function generatedRecipe(run: RunCell): string {
  return JSON.stringify({ ...run.data, config: Object.fromEntries(changedSettings(run.config)) }, null, 2);
}

/** Line endings are the editor's business (it may normalise them); content is what counts. */
export function sameText(a: string, b: string): boolean {
  return a.replace(/\r\n?/g, '\n') === b.replace(/\r\n?/g, '\n');
}

function knownSettings(config: RunCell['config']): Partial<Seq2SeqConfig> {
  const known = new Set(CONFIG_FIELDS.map(field => field.key as string));
  return Object.fromEntries(Object.entries(config).filter(([key]) => known.has(key))) as Partial<Seq2SeqConfig>;
}

function check(config: unknown, data: DataChoice): RerunRequest | { error: string } {
  const { config: resolved, errors } = validateConfig(config);
  if (errors.length > 0) return { error: errors.map(e => e.message).join('; ') };
  return { config: resolved, data };
}

/** What "Run" on a run cell whose text is `cellText` should open the form with. */
export function rerunRequest(run: RunCell, cellText: string): RerunRequest | { error: string } {
  if (sameText(cellText, generatedRecipe(run))) return check(knownSettings(run.config), run.data);
  let recipe: unknown;
  try {
    recipe = JSON.parse(cellText);
  } catch (err) {
    return { error: `The cell is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (recipe === null || typeof recipe !== 'object' || Array.isArray(recipe)) return { error: 'The cell must be a JSON object like {"task": "dates", "config": {…}}' };
  const { task, dataPath, config = {}, ...rest } = recipe as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) return { error: `Unknown field "${extra}" in the cell (expected task or dataPath, and config)` };
  if ((typeof task === 'string') === (typeof dataPath === 'string')) return { error: 'The cell needs exactly one of "task" and "dataPath" (a string)' };
  return check(config, typeof task === 'string' ? { task } : { dataPath: dataPath as string });
}

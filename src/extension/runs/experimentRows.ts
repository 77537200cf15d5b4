/**
 * The experiments table's rows from the runs directory: each run's summary (config.json,
 * metrics.jsonl, result.json through summary.ts), its effective state (the run store) and its
 * annotations (annotations.json: name, notes, star, hidden — written here, atomically, one
 * write per run at a time). Rows are cached per run and re-read only when the run's manifest
 * or annotations changed, so a live refresh of a hundred runs reads one metrics file.
 * No `vscode`: unit-tested under Node.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { parseAnnotations, RUN_ANNOTATIONS_FILE, type RunAnnotations } from '../../shared/experimentsProtocol';
import type { ExperimentRow, HyperparameterValue } from '../../shared/experimentsTable';
import type { RunSummary } from '../../shared/diffsProtocol';
import { isBetter, METRICS, type MetricKey } from '../../shared/metrics';
import { writeFileAtomic } from '../../shared/io/atomic';
import { isPrunedReason } from '../../shared/pruning';
import type { RunInfo } from './runStore';
import { loadRunSummary } from './summary';

/** What a running run's live step events say (tokens/s and step between evaluations). */
export interface LiveStats {
  tokensPerSecond: number;
  step: number;
}

/** Best value of each metric over a run's validation evaluations. */
export function bestMetrics(summary: Pick<RunSummary, 'curves'>): Partial<Record<MetricKey, number>> {
  const best: Partial<Record<MetricKey, number>> = {};
  for (const point of summary.curves) {
    for (const { key } of METRICS) {
      const value = point.metrics[key];
      if (Number.isFinite(value) && isBetter(key, value, best[key])) best[key] = value;
    }
  }
  return best;
}

function primitives(config: Record<string, unknown>): Record<string, HyperparameterValue> {
  const out: Record<string, HyperparameterValue> = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) out[key] = value;
  }
  return out;
}

function finiteMetrics(metrics: Record<string, number> | undefined): Partial<Record<MetricKey, number>> {
  const out: Partial<Record<MetricKey, number>> = {};
  for (const { key } of METRICS) if (metrics && Number.isFinite(metrics[key])) out[key] = metrics[key];
  return out;
}

/** One row from what the run directory says (`now` for a running run's duration). */
export function experimentRow(run: RunInfo, summary: RunSummary, annotations: RunAnnotations, live: LiveStats | undefined, now = Date.now()): ExperimentRow {
  const manifest = run.manifest;
  const created = manifest ? Date.parse(manifest.createdAt) : NaN;
  const updated = manifest ? Date.parse(manifest.updatedAt) : NaN;
  let durationSeconds = summary.seconds;
  if (durationSeconds === undefined && Number.isFinite(created)) durationSeconds = Math.max(0, ((run.state === 'running' ? now : updated) - created) / 1000);
  const row: ExperimentRow = {
    runDir: run.dir,
    folder: run.name,
    name: annotations.name?.trim() || run.name,
    notes: annotations.notes ?? '',
    starred: annotations.starred === true,
    hidden: annotations.hidden === true,
    state: run.state,
    dataset: summary.data,
    best: bestMetrics(summary),
    final: finiteMetrics(summary.final?.metrics as unknown as Record<string, number> | undefined),
    config: primitives(summary.config),
  };
  if (manifest?.createdAt) row.createdAt = manifest.createdAt;
  if (durationSeconds !== undefined && Number.isFinite(durationSeconds)) row.durationSeconds = durationSeconds;
  const tokensPerSecond = run.state === 'running' && live ? live.tokensPerSecond : summary.tokensPerSecond;
  if (tokensPerSecond !== undefined && Number.isFinite(tokensPerSecond)) row.tokensPerSecond = tokensPerSecond;
  const step = run.state === 'running' && live ? Math.max(live.step, manifest?.step ?? 0) : manifest?.step;
  if (step !== undefined) row.step = step;
  if (summary.final) row.finalSplit = summary.final.split;
  if (summary.targetUnit) row.targetUnit = summary.targetUnit;
  if (summary.sweep) row.sweep = { id: summary.sweep.id, trial: summary.sweep.trial, metric: summary.sweep.metric, ...(summary.sweep.settings ? { settings: summary.sweep.settings } : {}) };
  if (isPrunedReason(summary.stopReason)) row.pruned = true;
  const problems = [run.problem, summary.problem].filter(Boolean);
  if (problems.length) row.problem = problems.join('; ');
  return row;
}

function annotationsFile(runDir: string): string {
  return path.join(runDir, RUN_ANNOTATIONS_FILE);
}

/** A run's annotations ({} when it has none); `onProblem` hears about a damaged file or field. */
export async function readAnnotations(runDir: string, onProblem?: (problem: string) => void): Promise<RunAnnotations> {
  let text: string;
  try {
    text = await fsp.readFile(annotationsFile(runDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onProblem?.(`${annotationsFile(runDir)}: ${(error as Error).message}`);
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    onProblem?.(`${annotationsFile(runDir)}: not valid JSON (${(error as Error).message})`);
    return {};
  }
  const { annotations, problems } = parseAnnotations(value);
  for (const problem of problems) onProblem?.(`${annotationsFile(runDir)}: ${problem}`);
  return annotations;
}

async function mtimeOf(file: string): Promise<number> {
  try {
    return (await fsp.stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

interface CachedRun {
  key: string;
  summary: RunSummary;
  annotations: RunAnnotations;
}

/** Rows of the runs directory, cached per run; annotation writes go through here. */
export class ExperimentRows {
  private readonly cache = new Map<string, CachedRun>();
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly onProblem: (problem: string) => void = () => undefined) {}

  /** Rows for `runs` (the run store's list), re-reading only runs that changed. */
  async rows(runs: readonly RunInfo[], live: (runDir: string) => LiveStats | undefined): Promise<ExperimentRow[]> {
    const present = new Set(runs.map(r => r.dir));
    for (const dir of this.cache.keys()) if (!present.has(dir)) this.cache.delete(dir);
    return Promise.all(runs.map(async run => {
      const key = `${run.state}|${run.manifest?.updatedAt ?? ''}|${run.manifest?.step ?? ''}|${await mtimeOf(annotationsFile(run.dir))}`;
      let cached = this.cache.get(run.dir);
      if (!cached || cached.key !== key) {
        const [summary, annotations] = await Promise.all([loadRunSummary(run.dir), readAnnotations(run.dir, this.onProblem)]);
        cached = { key, summary, annotations };
        this.cache.set(run.dir, cached);
      }
      return experimentRow(run, cached.summary, cached.annotations, live(run.dir));
    }));
  }

  /** The summary last read for a run (its config and data, e.g. to train with the same settings). */
  summary(runDir: string): RunSummary | undefined {
    return this.cache.get(runDir)?.summary;
  }

  /**
   * Changes a run's annotations: `change` is merged into what the file holds now (an empty name
   * or notes removes the field). Writes of one run are serialized, so two quick edits never lose one.
   */
  update(runDir: string, change: RunAnnotations): Promise<void> {
    const previous = this.writes.get(runDir) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      const current = await readAnnotations(runDir, this.onProblem);
      const merged: RunAnnotations = { ...current, ...change };
      for (const key of ['name', 'notes'] as const) if (merged[key] !== undefined && merged[key]!.trim() === '') delete merged[key];
      for (const key of ['starred', 'hidden'] as const) if (merged[key] === false) delete merged[key];
      writeFileAtomic(annotationsFile(runDir), JSON.stringify(merged, null, 2) + '\n');
      this.cache.delete(runDir);
    });
    this.writes.set(runDir, next);
    return next;
  }
}

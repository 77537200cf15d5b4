/**
 * What the run comparison shows of one run: its hyperparameters (config.json), data, final
 * metrics (result.json's test metrics, else the last validation) and validation curves
 * (metrics.jsonl through history.ts). Async reads; a damaged file becomes `problem`, not a throw.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { readDataChoice } from '../../shared/dataChoice';
import type { CurvePoint, RunSummary } from '../../shared/diffsProtocol';
import { metricDefinition, readMetrics } from '../../shared/metrics';
import type { RunSweep } from '../../shared/protocol';
import { RUN_FILES, type RunConfigFile } from '../../shared/runDir';
import { loadHistory } from './history';
import { shapeOfConfigFile } from './shapeInfo';
import { inspectManifest } from './manifest';

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await fsp.readFile(file, 'utf8'));
}

/** config.json's `sweep`, when it is whole. */
function readSweep(value: unknown): RunSweep | undefined {
  const s = value as Partial<RunSweep> | undefined;
  if (!s || typeof s !== 'object' || typeof s.id !== 'string' || !Number.isInteger(s.trial) || typeof s.metric !== 'string' || !metricDefinition(s.metric)) return undefined;
  const settings = s.settings && typeof s.settings === 'object' && !Array.isArray(s.settings)
    ? Object.fromEntries(Object.entries(s.settings).filter(([, v]) => ['number', 'string', 'boolean'].includes(typeof v))) : undefined;
  return { id: s.id, trial: s.trial!, metric: s.metric, pruning: s.pruning === true, ...(settings ? { settings } : {}) };
}

export async function loadRunSummary(runDir: string): Promise<RunSummary> {
  const dir = path.resolve(runDir);
  const summary: RunSummary = { name: path.basename(dir), runDir: dir, state: 'unknown', config: {}, data: '', curves: [] };
  const problems: string[] = [];
  const manifest = await inspectManifest(dir);
  if ('manifest' in manifest) summary.state = manifest.manifest.state;
  else if ('problem' in manifest) problems.push(manifest.problem);
  else problems.push(`${dir}: no ${RUN_FILES.manifest}`);
  try {
    const saved = (await readJson(path.join(dir, RUN_FILES.config))) as { [K in keyof RunConfigFile]?: unknown };
    if (saved?.config && typeof saved.config === 'object') summary.config = saved.config as Record<string, unknown>;
    const data = readDataChoice(saved?.data);
    if (data) {
      summary.data = data.task !== undefined ? `task ${data.task}` : `file ${path.basename(data.dataPath)}`;
      summary.dataSource = data;
    }
    const shape = shapeOfConfigFile(saved);
    if (shape !== 'seq2seq') summary.shape = shape;
    const sweep = readSweep(saved?.sweep);
    if (sweep) summary.sweep = sweep;
    const from = saved?.finetunedFrom as { run?: unknown; step?: unknown } | undefined;
    if (from && typeof from === 'object' && typeof from.run === 'string') {
      summary.finetunedFrom = { run: path.resolve(dir, from.run), ...(Number.isInteger(from.step) && (from.step as number) >= 0 ? { step: from.step as number } : {}) };
    }
  } catch (error) {
    problems.push(`${path.join(dir, RUN_FILES.config)}: ${(error as Error).message}`);
  }
  try {
    const events = await loadHistory(dir, problem => problems.push(problem));
    summary.curves = events.flatMap((e): CurvePoint[] => (e.kind === 'eval' ? [{ step: e.step, metrics: e.metrics }] : []));
  } catch (error) {
    problems.push((error as Error).message);
  }
  try {
    const result = (await readJson(path.join(dir, RUN_FILES.result))) as { metrics?: unknown; targetUnit?: unknown; seconds?: unknown; targetTokensPerSecond?: unknown; stopReason?: unknown };
    if (typeof result?.stopReason === 'string') summary.stopReason = result.stopReason;
    // A run from before the error rates has none: readMetrics gives NaN (shown as —).
    const metrics = readMetrics(result?.metrics);
    if (metrics) summary.final = { split: 'test', metrics };
    if (result?.targetUnit === 'phoneme' || result?.targetUnit === 'word') summary.targetUnit = result.targetUnit;
    if (typeof result?.seconds === 'number' && Number.isFinite(result.seconds)) summary.seconds = result.seconds;
    if (typeof result?.targetTokensPerSecond === 'number' && Number.isFinite(result.targetTokensPerSecond)) summary.tokensPerSecond = result.targetTokensPerSecond;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${path.join(dir, RUN_FILES.result)}: ${(error as Error).message}`);
  }
  if (!summary.final && summary.curves.length) summary.final = { split: 'valid', metrics: summary.curves[summary.curves.length - 1].metrics };
  if (problems.length) summary.problem = problems.join('; ');
  return summary;
}

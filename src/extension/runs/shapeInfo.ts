/**
 * A run's shape and, for classify, the confusion matrix of each of its evaluations, read from
 * its directory (config.json's `shape`, metrics.jsonl's `confusion`) for the predictions panel,
 * which shows a classify run as a confusion matrix and a tag run as tagged tokens. Both files
 * are untrusted: a malformed matrix or line is left out and reported, never thrown. No `vscode`.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import type { ResolvedShape } from '../../shared/config';
import { parseConfusionMatrix, type DiffsRunInfo, type EvaluationConfusion } from '../../shared/diffsProtocol';
import { forEachMetricsLine, RUN_FILES } from '../../shared/runDir';
import { SHAPE_NAMES } from '../../shared/shapes';
import { isRecord } from '../../shared/validation';

/** The shape of config.json's content: its top-level `shape`, else `config.shape`, else seq2seq (runs before the shapes). */
export function shapeOfConfigFile(configFile: unknown): ResolvedShape {
  const saved = isRecord(configFile) ? configFile : {};
  const config = isRecord(saved.config) ? saved.config : {};
  for (const value of [saved.shape, config.shape]) {
    if (typeof value === 'string' && (SHAPE_NAMES as readonly string[]).includes(value)) return value as ResolvedShape;
  }
  return 'seq2seq';
}

/** The matrices of a metrics.jsonl text, in file order; lines without one are skipped, damaged ones reported. */
export function parseEvaluationConfusions(text: string, onProblem?: (line: number, reason: string) => void): EvaluationConfusion[] {
  const out: EvaluationConfusion[] = [];
  forEachMetricsLine(text, onProblem, (record, line) => {
    if (!isRecord(record) || record.confusion === undefined) return;
    const parsed = parseConfusionMatrix(record.confusion);
    if (!parsed.ok) return onProblem?.(line, parsed.error);
    if (!Number.isSafeInteger(record.step) || (record.split !== 'valid' && record.split !== 'test')) return onProblem?.(line, 'no step or split');
    out.push({ step: record.step as number, split: record.split, best: record.best === true, confusion: parsed.value });
  });
  return out;
}

/** The run's shape and (classify) evaluation matrices; `onProblem` hears what was left out. */
export async function loadShapeInfo(runDir: string, onProblem?: (problem: string) => void): Promise<DiffsRunInfo> {
  let shape: ResolvedShape = 'seq2seq';
  const configFile = path.join(runDir, RUN_FILES.config);
  try {
    shape = shapeOfConfigFile(JSON.parse(await fsp.readFile(configFile, 'utf8')));
  } catch (error) {
    onProblem?.(`${configFile}: ${(error as Error).message}`);
  }
  if (shape !== 'classify') return { shape, evaluations: [] };
  const metricsFile = path.join(runDir, RUN_FILES.metrics);
  let text = '';
  try {
    text = await fsp.readFile(metricsFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onProblem?.(`${metricsFile}: ${(error as Error).message}`);
  }
  return { shape, evaluations: parseEvaluationConfusions(text, (line, reason) => onProblem?.(`${metricsFile}:${line}: ${reason}`)) };
}

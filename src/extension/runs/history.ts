/**
 * A run's events rebuilt from its metrics.jsonl, for dashboards of runs this window did not
 * train (earlier sessions, the CLI). Only evaluations are on disk: per-step curves live in the
 * window that trained the run.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { METRICS } from '../../shared/metrics';
import type { EvalMetrics, EvalSample, ProgressEvent } from '../../shared/protocol';
import { forEachMetricsLine, type MetricsLine, RUN_FILES } from '../../shared/runDir';

/** A metrics line as read from disk: any field may be missing or of the wrong type. */
type UntrustedLine = { [K in keyof MetricsLine]?: unknown };

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : NaN;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) && value.every(v => typeof v === 'string') ? (value as string[]) : [];
}

/** The validation sample of a metrics line (older lines have only the prediction and its attention). */
function sampleOf(value: unknown): EvalSample {
  const s = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const attention = Array.isArray(s.attention) && s.attention.every(r => Array.isArray(r) && r.every(w => typeof w === 'number')) ? (s.attention as number[][]) : [];
  const output = typeof s.prediction === 'string' ? s.prediction : '';
  const tokens = strings(s.tokens);
  const probabilities = Array.isArray(s.probabilities) && s.probabilities.length === tokens.length && s.probabilities.every(p => typeof p === 'number') ? (s.probabilities as number[]) : [];
  return {
    source: typeof s.source === 'string' ? s.source : '',
    sourceTokens: strings(s.sourceTokens),
    output,
    tokens,
    probabilities,
    attention,
    candidates: [],
    reference: typeof s.reference === 'string' ? s.reference : '',
  };
}

/**
 * Eval events of the validation lines of a metrics.jsonl text. Test-split lines are not
 * evaluations during training; a torn or damaged line (a crash mid-append) is skipped, and
 * `onProblem` hears about it with its line number.
 */
export function parseMetricsLines(text: string, onProblem?: (line: number, reason: string) => void): ProgressEvent[] {
  const events: ProgressEvent[] = [];
  forEachMetricsLine(text, onProblem, (parsed, line) => {
    const record = parsed as UntrustedLine;
    if (!record || typeof record !== 'object' || record.split !== 'valid') return;
    const step = num(record.step);
    if (!Number.isInteger(step)) {
      onProblem?.(line, 'no step');
      return;
    }
    // Every metric of METRICS; one a line lacks (cer/wer before they existed) is NaN, which charts skip.
    const metrics = Object.fromEntries(METRICS.map(m => [m.key, num(record[m.key as keyof UntrustedLine])])) as unknown as EvalMetrics;
    events.push({ kind: 'eval', step, epoch: Number.isInteger(record.epoch) ? (record.epoch as number) : 0, metrics, best: record.best === true, sample: sampleOf(record.sample) });
  });
  return events;
}

/** The run's eval events from `runDir/metrics.jsonl` ([] when it has none yet). */
export async function loadHistory(runDir: string, onProblem?: (message: string) => void): Promise<ProgressEvent[]> {
  const file = path.join(runDir, RUN_FILES.metrics);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return parseMetricsLines(text, (line, reason) => onProblem?.(`${file}:${line}: ${reason}`));
}

/**
 * The run directory contract: what the engine writes into a run's folder and the host (runs
 * view, dashboard, comparison, experiment log) reads back. One definition of the file names,
 * the manifest, the saved configuration and the shape of a metrics line, so neither side
 * hard-codes the other's layout (documented in the README):
 *
 *   config.json          { config, data: { task } | { dataPath }, engineVersion, decisions?, sweep?, finetunedFrom?, shape? }
 *   manifest.json        { format, state, createdAt, updatedAt, backend, step, epoch, best, pid?, error?, finetunedFrom? }
 *   metrics.jsonl        one MetricsLine per evaluation (and one for the final test), appended and fsynced
 *   vocab.source.json, vocab.target.json, tokenizers.json (kinds; the subword model's merges)
 *   datacard.json        the dataset card (statistics, tokenizer decisions, warnings) at creation
 *   checkpoints/last.ckpt, checkpoints/best.ckpt
 *   result.json          the final TrainResult (completed or stopped runs)
 *   annotations.json     written by the host only (the experiments table): { name?, notes?, starred?, hidden? }
 *
 * Names only, no `path`/`fs`: webviews import this module too. Join with `path.join(dir, …)`.
 */
import type { ResolvedShape, Seq2SeqConfig } from './config';
import type { ConfusionMatrix, EvalMetrics, RunDecisions, RunState, RunSweep } from './protocol';
import type { DataChoice } from './dataChoice';

export const RUN_FILES = {
  config: 'config.json',
  manifest: 'manifest.json',
  metrics: 'metrics.jsonl',
  result: 'result.json',
  dataCard: 'datacard.json',
  sourceVocabulary: 'vocab.source.json',
  targetVocabulary: 'vocab.target.json',
  tokenizers: 'tokenizers.json',
  /** The folder of the checkpoints below. */
  checkpoints: 'checkpoints',
  lastCheckpoint: 'last.ckpt',
  bestCheckpoint: 'best.ckpt',
  /** The user's name, notes, star and hidden flag for the run (experimentsProtocol.ts); the engine never reads it. */
  annotations: 'annotations.json',
} as const;

/** Every state a manifest may say. */
export const RUN_STATES: readonly RunState[] = ['running', 'completed', 'cancelled', 'failed', 'interrupted'];

/** manifest.json: where a run is. Written by the engine; the host only marks a dead run `interrupted`. */
export interface Manifest {
  format: 1;
  state: RunState;
  createdAt: string;
  updatedAt: string;
  backend: string;
  step: number;
  epoch: number;
  best: { metric: string; value: number; step: number } | null;
  /** pid of the engine process training this run (to tell a live run from an interrupted one) */
  pid?: number;
  error?: string;
  /** A fine-tuned run (`--finetune-from`): the directory of the run it started from. */
  finetunedFrom?: string;
}

/** Where a fine-tuned run started: the source run's directory and the checkpoint taken from it. */
export interface FinetunedFrom {
  run: string;
  checkpoint: 'best';
  /** the source run's step at that checkpoint (when its manifest says) */
  step?: number;
  /** the source run's objective */
  objective: Seq2SeqConfig['objective'];
}

/** config.json: what the run trains on and with. */
export interface RunConfigFile {
  config: Seq2SeqConfig;
  /** A built-in task or a data file (exactly one is set). */
  data: DataChoice;
  engineVersion: string;
  /** What `auto` decided, with reasons (runs since the data-aware defaults). */
  decisions?: RunDecisions;
  /** The sweep this run is a trial of, when the extension's queue started it as one. */
  sweep?: RunSweep;
  /** A fine-tuned run: the run and checkpoint it started from. */
  finetunedFrom?: FinetunedFrom;
  /** The shape the run trains (`config.shape` with `auto` decided; runs before the shapes: absent, seq2seq). */
  shape?: ResolvedShape;
}

/** The validation sample a metrics line keeps (older lines have only `prediction` and `attention`). */
export interface MetricsLineSample {
  prediction: string;
  attention: number[][];
  source: string;
  sourceTokens: string[];
  tokens: string[];
  probabilities: number[];
  reference: string;
}

/** One line of metrics.jsonl: an evaluation on the validation split, or the final test. */
export type MetricsLine = EvalMetrics & {
  step: number;
  epoch: number;
  /** ISO time of the evaluation. */
  time: string;
  split: 'valid' | 'test';
  /** Validation lines only. */
  learningRate?: number;
  best?: boolean;
  sample?: MetricsLineSample;
  /** classify: the evaluation's confusion matrix (validation and test lines). */
  confusion?: ConfusionMatrix;
};

/**
 * Calls `visit` with each parsed line of a metrics.jsonl text and its 1-based line number.
 * Blank lines are skipped; a torn or damaged line (a crash mid-append) is reported to
 * `onProblem` and skipped. The records are untrusted: `visit` checks what it reads.
 */
export function forEachMetricsLine(text: string, onProblem: ((line: number, reason: string) => void) | undefined, visit: (record: unknown, line: number) => void): void {
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      onProblem?.(index + 1, 'not a JSON object');
      return;
    }
    visit(record, index + 1);
  });
}

/**
 * A training run's setup, then its loop (trainLoop.ts): a new run (validated settings, data,
 * `auto` decisions, the run directory's files) or a resumed one (its saved settings with the
 * allowed overrides, its vocabularies, the last checkpoint restored), the model, the
 * optimizer and the worker threads. Everything set up here is disposed here.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Seq2SeqConfig } from '../../shared/config';
import { DEFAULT_CONFIG, fieldSpec, validateConfig } from '../../shared/config';
import { ignoredSettings, resolvedShape } from '../../shared/shapes';
import type { FinetunedFrom } from '../../shared/runDir';
import type { EvalMetrics, ProgressEvent, RunDecisions, RunSweep, TrainResult } from '../../shared/protocol';
import { Seq2SeqModel } from '../model/seq2seq';
import { resolveAutoSettings } from './autoConfig';
import { applyCheckpointToModel, CheckpointError, loadCheckpoint, optimizerTensors, TrainingState } from './checkpoint';
import { buildDataCard } from './dataCard';
import type { DataChoice } from '../../shared/dataChoice';
import { prepareData, PreparedData } from './dataset';
import type { ModelContext } from './evaluate';
import { Optimizer } from './optimizer';
import { DataParallel, resolveWorkers, useTrainingThreads } from './parallel';
import { RunDirectory } from './runDir';
import { runTrainingLoop } from './trainLoop';

export const ENGINE_VERSION = '0.1.0';

export class ConfigError extends Error {}

/** The shapes this engine trains so far (the others are refused with a clear error). */
const IMPLEMENTED_SHAPES = new Set<string>(['seq2seq', 'classify', 'tag', 'generate']);


/** Settings a resumed run may change: when and how it stops and evaluates, not what it is. */
export const RESUMABLE_SETTINGS = new Set<keyof Seq2SeqConfig>([
  'epochs', 'maxMinutes', 'workers', 'patience', 'targetExactMatch', 'evalEverySteps', 'evalSamples', 'beamSize', 'lengthPenalty', 'maxDecodeLength',
]);

export interface TrainOptions {
  runDir: string;
  data?: DataChoice;
  config?: Partial<Seq2SeqConfig>;
  resume?: boolean;
  backend: string;
  onProgress?: (event: ProgressEvent) => void;
  /** Polled between steps; true stops the run after saving a checkpoint. */
  isCancelled?: () => boolean;
  /** Stop after this many steps in this session (tests of resume). */
  stopAfterSteps?: number;
  /**
   * Called after each evaluation with its validation metrics; a returned reason ends the run
   * there as completed, with that stop reason (a sweep's median stopping rule).
   */
  stopAfterEvaluation?: (step: number, metrics: EvalMetrics) => string | undefined;
  /** A new run's sweep membership, recorded in its config.json. */
  sweep?: RunSweep;
  /**
   * A new run that starts from this run's best checkpoint (fine-tuning, e.g. objective rl):
   * its data, vocabularies, tokenizers and model settings; `config` overrides the rest.
   */
  finetuneFrom?: string;
}

/** The start-up lines that say what `auto` decided and why. */
export function describeDecisions(decisions: RunDecisions): string[] {
  const side = (name: string, d: RunDecisions['sourceTokenizer']) => `${name} tokenizer: ${d.tokenizer}${d.auto ? ' (auto)' : ''} — ${d.reason}`;
  return [
    side('source', decisions.sourceTokenizer),
    side('target', decisions.targetTokenizer),
    ...decisions.settings.map(s => `${s.key} = ${s.value} (auto) — ${s.reason}`),
  ];
}

/** What a run trains on and with, from its options (new run) or its directory (resumed run). */
interface RunSetup {
  config: Seq2SeqConfig;
  prepared: PreparedData;
  decisions: RunDecisions | undefined;
  /** Dataset card warnings of a new run (a resumed run showed them when it was created). */
  dataWarnings: string[];
  /** A fine-tuned run: the checkpoint its parameters start from (before its own first one). */
  initialCheckpoint?: string;
  /** Start-up lines of a new run beyond the decisions (what fine-tuning took and changed). */
  notes?: string[];
}

/** A new run: validates the settings and data, lets `auto` decide, and writes the run's files. */
function createRun(run: RunDirectory, options: TrainOptions): RunSetup {
  if (run.exists()) throw new Error(`${options.runDir} already holds a run; resume it or choose another output directory`);
  const { config: checked, errors } = validateConfig(options.config ?? {});
  if (errors.length) throw new ConfigError(errors.map(e => e.message).join('; '));
  // The data was checked where it came in (engine/main.ts, the CLI); a new run only needs it given.
  if (!options.data) throw new Error('a new run needs a built-in task or a data file');
  const data = options.data;
  const prepared = prepareData(data, checked);
  if (!IMPLEMENTED_SHAPES.has(prepared.shape)) throw new ConfigError(`shape ${prepared.shape} is not available yet`);
  const card = buildDataCard(data, checked, prepared);
  const auto = resolveAutoSettings({ ...checked, shape: prepared.shape }, prepared);
  const config = auto.config;
  const shapeSetting = prepared.shapeDecision.auto ? [{ key: 'shape' as const, value: prepared.shape, reason: prepared.shapeDecision.reason }] : [];
  const decisions: RunDecisions = { settings: [...shapeSetting, ...auto.settings], sourceTokenizer: prepared.decisions.source, targetTokenizer: prepared.decisions.target };
  run.create();
  run.writeJson(run.configFile, { config, data, engineVersion: ENGINE_VERSION, decisions, shape: prepared.shape, ...(options.sweep ? { sweep: options.sweep } : {}) });
  run.saveVocabularies(prepared.sourceVocab, prepared.targetVocab, { source: prepared.sourceTokenizer, target: prepared.targetTokenizer });
  run.writeJson(run.dataCardFile, card);
  return { config, prepared, decisions, dataWarnings: card.warnings.map(w => w.message) };
}

/**
 * Settings a fine-tuned run keeps from the run it starts from: what the data, the vocabularies
 * and the model's shape are, and the seed, which generates and splits the data.
 */
export function keptWhenFinetuning(key: string): boolean {
  const group = fieldSpec(key)?.group;
  return group === 'data' || group === 'model' || key === 'seed';
}

/**
 * A fine-tuned run: the source run's data, vocabularies, tokenizers and model settings, its
 * training and decoding settings overridden by `options.config`; starts from the source's best
 * checkpoint with a fresh optimizer at step 0. Under objective rl the best checkpoint is picked
 * by the validation reward unless `earlyStoppingMetric` is given.
 */
function createFinetuneRun(run: RunDirectory, options: TrainOptions & { finetuneFrom: string }): RunSetup {
  if (run.exists()) throw new Error(`${options.runDir} already holds a run; choose another output directory`);
  const sourceDir = path.resolve(options.finetuneFrom);
  const source = new RunDirectory(sourceDir);
  if (!source.exists()) throw new Error(`${sourceDir}: no run to fine-tune from (manifest.json missing)`);
  if (!fs.existsSync(source.bestCheckpoint)) throw new Error(`${source.bestCheckpoint} does not exist: the run has no best checkpoint to fine-tune from yet`);
  const saved = source.readConfig();
  const { config: base, errors } = validateConfig(saved.config);
  if (errors.length) throw new ConfigError(`${source.configFile}: ${errors.map(e => e.message).join('; ')}`);
  const overrides = (options.config ?? {}) as Record<string, unknown>;
  const baseValues = base as unknown as Record<string, unknown>;
  const changed = Object.keys(overrides).filter(key => keptWhenFinetuning(key) && overrides[key] !== baseValues[key]);
  if (changed.length) throw new ConfigError(`cannot change ${changed.join(', ')} when fine-tuning: the data, vocabulary and model settings (and the seed, which splits the data) are those of ${sourceDir}`);
  const notes = [`fine-tuning from ${source.bestCheckpoint}`];
  const merged = { ...base, ...overrides } as Seq2SeqConfig;
  if (merged.objective === 'rl' && !('earlyStoppingMetric' in overrides)) {
    merged.earlyStoppingMetric = 'reward';
    notes.push(`earlyStoppingMetric = reward (objective rl: the best checkpoint is the one with the best validation ${merged.rlReward} reward)`);
  }
  const { config, errors: overrideErrors } = validateConfig(merged);
  if (overrideErrors.length) throw new ConfigError(overrideErrors.map(e => e.message).join('; '));
  const vocab = source.loadVocabularies(config.lowercase);
  const prepared = prepareData(saved.data, config, vocab);
  // Settings `auto` decided for the source and given here are no longer the engine's decision.
  const decisions = saved.decisions && { ...saved.decisions, settings: saved.decisions.settings.filter(s => !(s.key in overrides)) };
  const best = source.readManifest().best;
  const finetunedFrom: FinetunedFrom = { run: sourceDir, checkpoint: 'best', objective: base.objective, ...(best ? { step: best.step } : {}) };
  run.create();
  run.writeJson(run.configFile, { config, data: saved.data, engineVersion: ENGINE_VERSION, decisions, finetunedFrom, shape: prepared.shape });
  run.saveVocabularies(vocab.source, vocab.target, vocab.tokenizers);
  if (fs.existsSync(source.dataCardFile)) fs.copyFileSync(source.dataCardFile, run.dataCardFile);
  run.updateManifest({ finetunedFrom: sourceDir });
  return { config, prepared, decisions, dataWarnings: [], initialCheckpoint: source.bestCheckpoint, notes };
}

/** A resumed run: its saved settings with the overrides a resume may make (saved back), its vocabularies. */
function reopenRun(run: RunDirectory, options: TrainOptions): RunSetup {
  if (!run.exists()) throw new Error(`${options.runDir}: no run to resume (manifest.json missing)`);
  run.removeStaleTempFiles();
  const saved = run.readConfig();
  const { config: checked, errors } = validateConfig(saved.config);
  if (errors.length) throw new ConfigError(`${run.configFile}: ${errors.map(e => e.message).join('; ')}`);
  let config = checked;
  const overrides = Object.keys(options.config ?? {});
  if (overrides.length) {
    const fixed = overrides.filter(key => !RESUMABLE_SETTINGS.has(key as keyof Seq2SeqConfig));
    if (fixed.length) throw new ConfigError(`cannot change ${fixed.join(', ')} when resuming (only ${[...RESUMABLE_SETTINGS].join(', ')} can change)`);
    const { config: changed, errors: overrideErrors } = validateConfig({ ...config, ...options.config });
    if (overrideErrors.length) throw new ConfigError(overrideErrors.map(e => e.message).join('; '));
    config = changed;
    run.writeJson(run.configFile, { ...saved, config });
  }
  const vocab = run.loadVocabularies(config.lowercase);
  const initialCheckpoint = saved.finetunedFrom && new RunDirectory(saved.finetunedFrom.run).bestCheckpoint;
  return { config, prepared: prepareData(saved.data, config, vocab), decisions: saved.decisions, dataWarnings: [], initialCheckpoint };
}

/** Sets the model's parameters from a checkpoint file (the optimizer's state, if saved, is not read). */
function loadParameters(model: Seq2SeqModel, file: string): void {
  const checkpoint = loadCheckpoint(file);
  try {
    applyCheckpointToModel(model, checkpoint.tensors, file);
  } finally {
    checkpoint.tensors.forEach(t => t.dispose());
  }
}

/**
 * A resumed run's training state, with the model and optimizer restored from its last
 * checkpoint. A run stopped before its first checkpoint starts over from step 0 with the same
 * configuration and vocabularies (the initialisation is seeded, so it is the same run).
 */
function restoreLastCheckpoint(run: RunDirectory, model: Seq2SeqModel, optimizer: Optimizer, emit: (event: ProgressEvent) => void): TrainingState | undefined {
  if (!fs.existsSync(run.lastCheckpoint)) {
    emit({ kind: 'log', level: 'info', message: `${run.lastCheckpoint} does not exist yet: restarting the run from step 0` });
    run.truncateMetricsAfter(-1);
    if (fs.existsSync(run.bestCheckpoint)) fs.unlinkSync(run.bestCheckpoint);
    return undefined;
  }
  const checkpoint = loadCheckpoint(run.lastCheckpoint);
  try {
    applyCheckpointToModel(model, checkpoint.tensors, run.lastCheckpoint);
    optimizer.loadState(checkpoint.state.optimizerIterations, optimizerTensors(checkpoint.tensors));
  } catch (error) {
    throw error instanceof CheckpointError ? error : new CheckpointError(run.lastCheckpoint, (error as Error).message);
  } finally {
    checkpoint.tensors.forEach(t => t.dispose());
  }
  run.truncateMetricsAfter(checkpoint.state.step);
  return checkpoint.state;
}

/** Trains a new run into `options.runDir` (from scratch or fine-tuned from another run), or resumes the run there; resolves with its result. */
export async function trainRun(options: TrainOptions): Promise<TrainResult> {
  const run = new RunDirectory(options.runDir);
  if (options.resume && options.finetuneFrom) throw new Error('a run is either resumed or fine-tuned from another, not both');
  const setup = options.resume ? reopenRun(run, options) : options.finetuneFrom ? createFinetuneRun(run, { ...options, finetuneFrom: options.finetuneFrom }) : createRun(run, options);
  const { config, prepared, decisions, dataWarnings } = setup;
  const emit = (event: ProgressEvent) => options.onProgress?.(event);
  if (!options.resume) {
    for (const message of setup.notes ?? []) emit({ kind: 'log', level: 'info', message });
    const ignored = ignoredSettings(config, DEFAULT_CONFIG).filter(key => key !== 'shape');
    if (ignored.length) emit({ kind: 'log', level: 'info', message: `shape ${resolvedShape(config.shape)} does not use ${ignored.map(key => `${key} = ${String(config[key])}`).join(', ')} (ignored)` });
    if (decisions) for (const line of describeDecisions(decisions)) emit({ kind: 'log', level: 'info', message: line });
    for (const message of dataWarnings) emit({ kind: 'log', level: 'warn', message });
  }

  const model = new Seq2SeqModel(config, { sourceVocabSize: prepared.sourceVocab.size, targetVocabSize: prepared.targetVocab.size });
  const optimizer = new Optimizer(config.optimizer, model.params);
  const context: ModelContext = {
    model, config,
    sourceVocab: prepared.sourceVocab, targetVocab: prepared.targetVocab,
    sourceTokenizer: prepared.sourceTokenizer, targetTokenizer: prepared.targetTokenizer,
    sourceToTarget: prepared.sourceToTarget,
  };
  let parallel: DataParallel | undefined;
  try {
    const restored = options.resume ? restoreLastCheckpoint(run, model, optimizer, emit) : undefined;
    // A fine-tuned run before its own first checkpoint starts from the source run's parameters.
    if (!restored && setup.initialCheckpoint) loadParameters(model, setup.initialCheckpoint);
    const state: TrainingState = restored ?? { step: 0, epoch: 0, batchInEpoch: 0, optimizerIterations: 0, best: null, evaluationsWithoutImprovement: 0, elapsedSeconds: 0, targetTokens: 0 };
    // Objective rl samples and scores on this thread (scst.ts): no workers to start.
    const workers = useTrainingThreads(config.objective === 'rl' ? 1 : resolveWorkers(config.workers, undefined, undefined, { hiddenSize: config.hiddenSize, targetVocabSize: model.shape.targetVocabSize }));
    if (workers > 1) parallel = await DataParallel.start(model, workers);
    return await runTrainingLoop({
      run, backend: options.backend, config, prepared, decisions, model, optimizer, context, parallel, state, emit,
      isCancelled: options.isCancelled, stopAfterSteps: options.stopAfterSteps, stopAfterEvaluation: options.stopAfterEvaluation,
      evaluateAtStart: !restored && setup.initialCheckpoint !== undefined,
    });
  } finally {
    await parallel?.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

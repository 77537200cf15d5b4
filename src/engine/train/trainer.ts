/**
 * The training loop: batches bucketed by length, schedules, evaluation, checkpoints, early
 * stopping, time limits, cancellation and exact resume.
 *
 * Reproducibility: every random choice derives from the seed and a position — the batch order
 * from (seed, epoch), dropout masks and teacher-forcing coins from (seed, step) — so a run
 * resumed from a checkpoint repeats exactly what the uninterrupted run would have done.
 */
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs-core';
import type { Seq2SeqConfig } from '../../shared/config';
import { validateConfig } from '../../shared/config';
import type { EvalMetrics, EvalSample, ProgressEvent, RunDecisions, RunState, TrainResult } from '../../shared/protocol';
import { bucketBatches, makeRng } from '../data';
import { disposeBatch, makeBatch, targetTokenCount } from '../model/batch';
import { Seq2SeqModel } from '../model/seq2seq';
import { CheckpointError, loadCheckpoint, saveCheckpoint, TrainingState } from './checkpoint';
import { DataSource, ExamplePair, prepareData, PreparedData } from './dataset';
import { copyPriorOption, decodeAll, evaluatePairs, ModelContext, toTranslation } from './evaluate';
import { Optimizer } from './optimizer';
import { RunDirectory } from './runDir';
import { budgetUsed, learningRateAt, teacherForcingAt } from './schedules';
import { DivergedError, StepResult, trainStep } from './step';
import { DataParallel, resolveWorkers } from './parallel';
import { resolveAutoSettings } from './autoConfig';
import { buildDataCard } from './dataCard';
import { afterEvaluation } from './earlyStopping';

export const ENGINE_VERSION = '0.1.0';

export class ConfigError extends Error {}


/** Settings a resumed run may change: when and how it stops and evaluates, not what it is. */
export const RESUMABLE_SETTINGS = new Set<keyof Seq2SeqConfig>([
  'epochs', 'maxMinutes', 'workers', 'patience', 'targetExactMatch', 'evalEverySteps', 'evalSamples', 'beamSize', 'lengthPenalty', 'maxDecodeLength',
]);

export interface TrainOptions {
  runDir: string;
  data?: DataSource;
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

export function applyCheckpointToModel(model: Seq2SeqModel, tensors: Map<string, tf.Tensor>, file: string): void {
  for (const [name, variable] of model.params.entries()) {
    const saved = tensors.get(`param:${name}`);
    if (!saved) throw new CheckpointError(file, `parameter ${name} is missing (checkpoint of a different model?)`);
    if (saved.shape.join(',') !== variable.shape.join(',')) throw new CheckpointError(file, `parameter ${name} has shape [${saved.shape}], the model expects [${variable.shape}]`);
    variable.assign(saved);
  }
}

function checkpointTensors(model: Seq2SeqModel, optimizer?: Optimizer): Array<[string, tf.Tensor]> {
  const list: Array<[string, tf.Tensor]> = model.params.entries().map(([n, v]) => [`param:${n}`, v]);
  if (optimizer) optimizer.stateTensors().forEach(([n, t]) => list.push([`optimizer:${n}`, t]));
  return list;
}

function optimizerTensors(tensors: Map<string, tf.Tensor>): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, tensor] of tensors) if (name.startsWith('optimizer:')) out.set(name.slice('optimizer:'.length), tensor);
  return out;
}

export async function trainRun(options: TrainOptions): Promise<TrainResult> {
  const run = new RunDirectory(options.runDir);
  let config: Seq2SeqConfig;
  let data: DataSource;
  let prepared: PreparedData;
  let decisions: RunDecisions | undefined;
  let dataWarnings: string[] = [];
  if (options.resume) {
    if (!run.exists()) throw new Error(`${options.runDir}: no run to resume (manifest.json missing)`);
    run.removeStaleTempFiles();
    const saved = run.readConfig();
    const { config: checked, errors } = validateConfig(saved.config);
    if (errors.length) throw new ConfigError(`${run.configFile}: ${errors.map(e => e.message).join('; ')}`);
    config = checked;
    data = saved.data;
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
    prepared = prepareData(data, config, vocab);
    decisions = saved.decisions;
  } else {
    if (run.exists()) throw new Error(`${options.runDir} already holds a run; resume it or choose another output directory`);
    const { config: checked, errors } = validateConfig(options.config ?? {});
    if (errors.length) throw new ConfigError(errors.map(e => e.message).join('; '));
    config = checked;
    if (!options.data || (!options.data.task === !options.data.dataPath)) throw new Error('give exactly one of a built-in task or a data file');
    data = options.data;
    prepared = prepareData(data, config);
    const card = buildDataCard(data, config, prepared);
    const auto = resolveAutoSettings(config, prepared);
    config = auto.config;
    decisions = { settings: auto.settings, sourceTokenizer: prepared.decisions.source, targetTokenizer: prepared.decisions.target };
    run.create();
    run.writeJson(run.configFile, { config, data, engineVersion: ENGINE_VERSION, decisions });
    run.saveVocabularies(prepared.sourceVocab, prepared.targetVocab, { source: prepared.sourceTokenizer, target: prepared.targetTokenizer });
    run.writeJson(run.dataCardFile, card);
    dataWarnings = card.warnings.map(w => w.message);
  }
  const emit = (event: ProgressEvent) => options.onProgress?.(event);
  if (!options.resume) {
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
  let state: TrainingState = { step: 0, epoch: 0, batchInEpoch: 0, optimizerIterations: 0, best: null, evaluationsWithoutImprovement: 0, elapsedSeconds: 0, targetTokens: 0 };
  try {
    if (options.resume && !fs.existsSync(run.lastCheckpoint)) {
      // Stopped before its first checkpoint: nothing to continue, so start over with the same
      // configuration and vocabularies (the model initialisation is seeded, so this is the same run).
      emit({ kind: 'log', level: 'info', message: `${run.lastCheckpoint} does not exist yet: restarting the run from step 0` });
      run.truncateMetricsAfter(-1);
      if (fs.existsSync(run.bestCheckpoint)) fs.unlinkSync(run.bestCheckpoint);
    } else if (options.resume) {
      const checkpoint = loadCheckpoint(run.lastCheckpoint);
      try {
        applyCheckpointToModel(model, checkpoint.tensors, run.lastCheckpoint);
        optimizer.loadState(checkpoint.state.optimizerIterations, optimizerTensors(checkpoint.tensors));
      } catch (error) {
        throw error instanceof CheckpointError ? error : new CheckpointError(run.lastCheckpoint, (error as Error).message);
      } finally {
        checkpoint.tensors.forEach(t => t.dispose());
      }
      state = checkpoint.state;
      run.truncateMetricsAfter(state.step);
    }
    const workers = resolveWorkers(config.workers);
    if (workers > 1) parallel = await DataParallel.start(model, workers);
    return await loop();
  } finally {
    await parallel?.dispose();
    optimizer.dispose();
    model.dispose();
  }

  async function loop(): Promise<TrainResult> {
    const stepsPerEpoch = Math.ceil(prepared.train.length / config.batchSize);
    const totalSteps = stepsPerEpoch * config.epochs;
    run.updateManifest({ state: 'running', backend: options.backend, step: state.step, epoch: state.epoch, pid: process.pid, error: undefined });
    emit({ kind: 'start', runDir: options.runDir, backend: options.backend, config, trainPairs: prepared.train.length, validPairs: prepared.valid.length, testPairs: prepared.test.length, stepsPerEpoch, totalSteps, startStep: state.step, decisions, targetUnit: prepared.targetUnit });

    const validSubset = config.evalSamples > 0 ? prepared.valid.slice(0, config.evalSamples) : prepared.valid;
    const sessionStart = Date.now();
    const sessionStartSeconds = state.elapsedSeconds;
    let trainingSeconds = 0; // this session, evaluation excluded
    let sessionTokens = 0;
    let sessionSteps = 0;
    let lastProgress = 0;
    let stopReason = 'finished all epochs';
    let finalState: RunState = 'completed';

    // The budget the learning rate anneals to: the time limit, and the epochs unless `auto`
    // chose them (then they are only an upper bound for early stopping).
    const epochsAreBudget = !decisions?.settings.some(setting => setting.key === 'epochs');
    const budget = { maxSeconds: config.maxMinutes * 60, totalSteps: epochsAreBudget ? totalSteps : 0 };
    const rateNow = () => learningRateAt(config, state.step, state.epoch, state.learningRateScale, budgetUsed(budget, sessionStartSeconds + (Date.now() - sessionStart) / 1000, state.step));

    // Done share and time left: by steps, or by the time limit when that ends the run first.
    const progressEstimate = () => {
      const bySteps = { etaSeconds: ((totalSteps - state.step) * trainingSeconds) / sessionSteps, fractionDone: state.step / totalSteps };
      if (config.maxMinutes <= 0) return bySteps;
      const elapsed = sessionStartSeconds + (Date.now() - sessionStart) / 1000;
      const byTime = { etaSeconds: Math.max(0, config.maxMinutes * 60 - elapsed), fractionDone: Math.min(1, elapsed / (config.maxMinutes * 60)) };
      return byTime.etaSeconds < bySteps.etaSeconds ? byTime : bySteps;
    };

    const saveLast = () => {
      state.elapsedSeconds = sessionStartSeconds + (Date.now() - sessionStart) / 1000;
      state.optimizerIterations = optimizer.iterations;
      saveCheckpoint(run.lastCheckpoint, checkpointTensors(model, optimizer), state);
      run.updateManifest({ step: state.step, epoch: state.epoch });
      emit({ kind: 'checkpoint', step: state.step, epoch: state.epoch, path: run.lastCheckpoint, best: false });
    };

    const evaluate = (): boolean => {
      const { metrics } = evaluatePairs(context, validSubset, 1);
      const metricName = config.earlyStoppingMetric;
      const value = metrics[metricName];
      const decision = afterEvaluation(state, config, value, state.step);
      const best = decision.best;
      if (best) {
        saveCheckpoint(run.bestCheckpoint, checkpointTensors(model), state);
        run.updateManifest({ best: { metric: metricName, value, step: state.step } });
      }
      if (decision.learningRateCut) {
        emit({ kind: 'log', level: 'info', message: `step ${state.step}: no clear ${metricName} improvement in ${config.plateauPatience} evaluations: learning rate × ${config.plateauFactor} → ${rateNow().toPrecision(3)}` });
      }
      const sample = sampleTranslation(context, prepared.valid[0]);
      run.appendMetrics({ step: state.step, epoch: state.epoch, time: new Date().toISOString(), split: 'valid', ...metrics, learningRate: rateNow(), best, sample: { prediction: sample.output, attention: sample.attention, source: sample.source, sourceTokens: sample.sourceTokens, tokens: sample.tokens, probabilities: sample.probabilities, reference: sample.reference } });
      emit({ kind: 'eval', step: state.step, epoch: state.epoch, metrics, best, sample });
      if (config.targetExactMatch > 0 && metrics.exactMatch >= config.targetExactMatch) {
        stopReason = `validation exact match ${metrics.exactMatch.toFixed(4)} reached the target ${config.targetExactMatch}`;
        return true;
      }
      if (decision.stop) {
        stopReason = `no ${metricName} improvement in ${config.patience} evaluations (early stopping)`;
        return true;
      }
      const external = options.stopAfterEvaluation?.(state.step, metrics);
      if (external) {
        stopReason = external;
        return true;
      }
      return false;
    };

    let stop = false;
    try {
      while (state.epoch < config.epochs && !stop) {
        const order = bucketBatches(prepared.train.map(p => Math.max(p.source.length, p.target.length)), config.batchSize, makeRng(`${config.seed}:epoch:${state.epoch}`));
        while (state.batchInEpoch < order.length && !stop) {
          await new Promise(resolve => setImmediate(resolve)); // let cancellation messages in
          if (options.isCancelled?.()) {
            [stop, stopReason, finalState] = [true, 'cancelled', 'cancelled'];
            break;
          }
          // Wall-clock time of the whole run: earlier sessions (as saved when this one started)
          // plus this one. Not state.elapsedSeconds, which saveLast advances to include this session.
          if (config.maxMinutes > 0 && sessionStartSeconds + (Date.now() - sessionStart) / 1000 >= config.maxMinutes * 60) {
            [stop, stopReason] = [true, `time limit of ${config.maxMinutes} min reached`];
            break;
          }
          if (options.stopAfterSteps !== undefined && sessionSteps >= options.stopAfterSteps) {
            [stop, stopReason, finalState] = [true, 'step limit of this session reached', 'cancelled'];
            break;
          }
          const pairs = order[state.batchInEpoch].map(i => prepared.train[i]);
          const learningRate = rateNow();
          const teacherForcing = teacherForcingAt(config, state.step);
          const started = Date.now();
          let result: StepResult;
          const dropoutSeed = config.seed * 1_000_003 + state.step;
          if (parallel) {
            result = await parallel.step(model, optimizer, pairs, { copyPrior: copyPriorOption(context) }, {
              training: true, teacherForcing, randomSeed: `${config.seed}:step:${state.step}`, dropoutSeed, labelSmoothing: config.labelSmoothing,
              learningRate, clipNorm: config.clipNorm,
            });
          } else {
            const batch = makeBatch(pairs, { copyPrior: copyPriorOption(context) });
            try {
              model.setDropoutSeed(dropoutSeed);
              result = trainStep(model, optimizer, batch, {
                training: true, teacherForcing, random: makeRng(`${config.seed}:step:${state.step}`), labelSmoothing: config.labelSmoothing,
                learningRate, clipNorm: config.clipNorm,
              });
            } finally {
              disposeBatch(batch);
            }
          }
          trainingSeconds += (Date.now() - started) / 1000;
          const tokens = targetTokenCount(pairs);
          sessionTokens += tokens;
          sessionSteps++;
          state.targetTokens += tokens;
          state.step++;
          state.batchInEpoch++;
          const now = Date.now();
          if (now - lastProgress > 250 || state.batchInEpoch === order.length) {
            lastProgress = now;
            emit({
              kind: 'step', step: state.step, epoch: state.epoch, loss: result.loss, learningRate, gradientNorm: result.gradientNorm, teacherForcing,
              tokensPerSecond: sessionTokens / Math.max(trainingSeconds, 1e-3), ...progressEstimate(),
            });
          }
          if (config.evalEverySteps > 0 && state.step % config.evalEverySteps === 0 && evaluate()) stop = true;
        }
        if (state.batchInEpoch < order.length) break; // stopped mid-epoch
        // Epoch complete: evaluate (per-epoch mode), then checkpoint the start of the next epoch.
        if (config.evalEverySteps === 0 && evaluate()) stop = true;
        state.epoch++;
        state.batchInEpoch = 0;
        if (state.epoch < config.epochs && !stop) saveLast();
      }
      saveLast();
    } catch (error) {
      if (error instanceof DivergedError) {
        run.updateManifest({ state: 'failed', error: error.message });
      } else {
        run.updateManifest({ state: 'failed', error: (error as Error).message });
      }
      throw error;
    }

    // Final score on the test split with the best checkpoint (cancelled runs are scored too,
    // so the user sees where they stopped).
    const bestFile = run.bestCheckpoint;
    try {
      const best = loadCheckpoint(bestFile);
      try {
        applyCheckpointToModel(model, best.tensors, bestFile);
      } finally {
        best.tensors.forEach(t => t.dispose());
      }
    } catch (error) {
      if (!(error instanceof CheckpointError && /not found/.test(error.message))) throw error;
    }
    const testScore = evaluatePairs(context, prepared.test.length ? prepared.test : prepared.valid, config.beamSize);
    const testMetrics = testScore.metrics;
    const seconds = sessionStartSeconds + (Date.now() - sessionStart) / 1000;
    const result: TrainResult = {
      run: options.runDir,
      state: finalState,
      backend: options.backend,
      epochs: state.epoch + (state.batchInEpoch > 0 ? state.batchInEpoch / Math.ceil(prepared.train.length / config.batchSize) : 0),
      steps: state.step,
      seconds,
      targetTokensPerSecond: sessionTokens / Math.max(trainingSeconds, 1e-3),
      metrics: testMetrics,
      signatures: testScore.signatures,
      stopReason,
      tokenizers: { source: prepared.sourceTokenizer.kind, target: prepared.targetTokenizer.kind },
      targetUnit: prepared.targetUnit,
    };
    run.appendMetrics({ step: state.step, epoch: state.epoch, time: new Date().toISOString(), split: 'test', ...testMetrics });
    run.writeResult(result);
    run.updateManifest({ state: finalState, step: state.step, epoch: state.epoch, pid: undefined });
    return result;
  }
}

/** Decodes the fixed validation sample for the live view. */
export function sampleTranslation(context: ModelContext, pair: ExamplePair | undefined): EvalSample {
  if (!pair) return { source: '', sourceTokens: [], output: '', tokens: [], probabilities: [], attention: [], candidates: [], reference: '' };
  const hypotheses = decodeAll(context, [pair.source], 1);
  return { ...toTranslation(context, pair.sourceText, pair.sourceTokens, hypotheses[0]), reference: pair.reference };
}

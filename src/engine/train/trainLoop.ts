/**
 * The training loop of one session of a run, once trainer.ts has set it up (new or resumed
 * run, model, optimizer, restored state, workers): epochs of length-bucketed batches, progress
 * events, evaluation with early stopping and plateau cuts, time and step limits, cancellation,
 * checkpoints, and the final score on the test split with the best checkpoint.
 *
 * Reproducibility: the batch order derives from (seed, epoch), dropout masks and
 * teacher-forcing coins from (seed, step), so a resumed run repeats the uninterrupted one.
 */
import type { Seq2SeqConfig } from '../../shared/config';
import type { EvalMetrics, EvalSample, ProgressEvent, RunDecisions, RunState, StepReward, TrainResult } from '../../shared/protocol';
import { bucketBatches, makeRng } from '../data';
import { disposeBatch, makeBatch, targetTokenCount } from '../model/batch';
import type { Seq2SeqModel } from '../model/seq2seq';
import { applyCheckpointToModel, checkpointTensors, CheckpointError, loadCheckpoint, saveCheckpoint, TrainingState } from './checkpoint';
import type { ExamplePair, PreparedData } from './dataset';
import { afterEvaluation } from './earlyStopping';
import { decodeAll, evaluatePairs, ModelContext, toTranslation } from './evaluate';
import { batchOptionsOf } from './modelContext';
import type { Optimizer } from './optimizer';
import type { DataParallel } from './parallel';
import type { RunDirectory } from './runDir';
import { budgetUsed, learningRateAt, teacherForcingAt } from './schedules';
import { scstStep } from './scst';
import { StepResult, trainStep } from './step';

/** What the loop trains, as trainer.ts set it up. The loop advances `state`; the caller disposes the rest. */
export interface TrainingSession {
  run: RunDirectory;
  backend: string;
  config: Seq2SeqConfig;
  prepared: PreparedData;
  decisions: RunDecisions | undefined;
  model: Seq2SeqModel;
  optimizer: Optimizer;
  context: ModelContext;
  /** Worker threads sharing each batch, or undefined to train on this thread. */
  parallel: DataParallel | undefined;
  /** Where the run is (step 0, or as restored from the last checkpoint). */
  state: TrainingState;
  emit: (event: ProgressEvent) => void;
  /** Polled between steps; true stops the run after saving a checkpoint. */
  isCancelled?: () => boolean;
  /** Stop after this many steps in this session (tests of resume). */
  stopAfterSteps?: number;
  /** After each evaluation: a returned reason ends the run there as completed (see TrainOptions). */
  stopAfterEvaluation?: (step: number, metrics: EvalMetrics) => string | undefined;
  /** Evaluate once before the first step (a fine-tuned run: its starting checkpoint's scores). */
  evaluateAtStart?: boolean;
}

/**
 * One optimizer step on `pairs` (on the workers when there are any; objective rl on this
 * thread, scst.ts); the step's loss and gradient norm, and its rewards under objective rl.
 */
async function trainBatch(session: TrainingSession, pairs: ExamplePair[], learningRate: number, teacherForcing: number): Promise<StepResult & { reward?: StepReward }> {
  const { config, model, optimizer, context, parallel, state } = session;
  const dropoutSeed = config.seed * 1_000_003 + state.step;
  if (config.objective === 'rl') {
    model.setDropoutSeed(dropoutSeed);
    return scstStep(context, optimizer, pairs, {
      random: makeRng(`${config.seed}:rl:${state.step}`), training: true, teacherForcing, forwardRandom: makeRng(`${config.seed}:step:${state.step}`),
      labelSmoothing: config.labelSmoothing, learningRate, clipNorm: config.clipNorm,
    });
  }
  if (parallel) {
    return parallel.step(model, optimizer, pairs, batchOptionsOf(context), {
      training: true, teacherForcing, randomSeed: `${config.seed}:step:${state.step}`, dropoutSeed, labelSmoothing: config.labelSmoothing,
      learningRate, clipNorm: config.clipNorm,
    });
  }
  const batch = makeBatch(pairs, batchOptionsOf(context));
  try {
    model.setDropoutSeed(dropoutSeed);
    return trainStep(model, optimizer, batch, {
      training: true, teacherForcing, random: makeRng(`${config.seed}:step:${state.step}`), labelSmoothing: config.labelSmoothing,
      learningRate, clipNorm: config.clipNorm,
    });
  } finally {
    disposeBatch(batch);
  }
}

/** Trains until the epochs, a limit, cancellation or early stopping end the session; then scores the test split. */
export async function runTrainingLoop(session: TrainingSession): Promise<TrainResult> {
  const { run, config, prepared, decisions, model, optimizer, context, state, emit } = session;
  const stepsPerEpoch = Math.ceil(prepared.train.length / config.batchSize);
  const totalSteps = stepsPerEpoch * config.epochs;
  run.updateManifest({ state: 'running', backend: session.backend, step: state.step, epoch: state.epoch, pid: process.pid, error: undefined });
  emit({ kind: 'start', runDir: run.dir, backend: session.backend, config, trainPairs: prepared.train.length, validPairs: prepared.valid.length, testPairs: prepared.test.length, stepsPerEpoch, totalSteps, startStep: state.step, decisions, targetUnit: prepared.targetUnit, shape: prepared.shape });

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

  /** Evaluates on the validation subset, keeps the best checkpoint; true when the run should stop. */
  const evaluate = (): boolean => {
    const { metrics, confusion } = evaluatePairs(context, validSubset, 1);
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
    run.appendMetrics({ step: state.step, epoch: state.epoch, time: new Date().toISOString(), split: 'valid', ...metrics, learningRate: rateNow(), best, sample: { prediction: sample.output, attention: sample.attention, source: sample.source, sourceTokens: sample.sourceTokens, tokens: sample.tokens, probabilities: sample.probabilities, reference: sample.reference }, ...(confusion ? { confusion } : {}) });
    emit({ kind: 'eval', step: state.step, epoch: state.epoch, metrics, best, sample, ...(confusion ? { confusion } : {}) });
    if (config.targetExactMatch > 0 && metrics.exactMatch >= config.targetExactMatch) {
      stopReason = `validation exact match ${metrics.exactMatch.toFixed(4)} reached the target ${config.targetExactMatch}`;
      return true;
    }
    if (decision.stop) {
      stopReason = `no ${metricName} improvement in ${config.patience} evaluations (early stopping)`;
      return true;
    }
    const external = session.stopAfterEvaluation?.(state.step, metrics);
    if (external) {
      stopReason = external;
      return true;
    }
    return false;
  };

  let stop = false;
  try {
    if (session.evaluateAtStart && state.step === 0 && evaluate()) stop = true;
    while (state.epoch < config.epochs && !stop) {
      const order = bucketBatches(prepared.train.map(p => Math.max(p.source.length, p.target.length)), config.batchSize, makeRng(`${config.seed}:epoch:${state.epoch}`));
      while (state.batchInEpoch < order.length && !stop) {
        await new Promise(resolve => setImmediate(resolve)); // let cancellation messages in
        if (session.isCancelled?.()) {
          [stop, stopReason, finalState] = [true, 'cancelled', 'cancelled'];
          break;
        }
        // Wall-clock time of the whole run: earlier sessions (as saved when this one started)
        // plus this one. Not state.elapsedSeconds, which saveLast advances to include this session.
        if (config.maxMinutes > 0 && sessionStartSeconds + (Date.now() - sessionStart) / 1000 >= config.maxMinutes * 60) {
          [stop, stopReason] = [true, `time limit of ${config.maxMinutes} min reached`];
          break;
        }
        if (session.stopAfterSteps !== undefined && sessionSteps >= session.stopAfterSteps) {
          [stop, stopReason, finalState] = [true, 'step limit of this session reached', 'cancelled'];
          break;
        }
        const pairs = order[state.batchInEpoch].map(i => prepared.train[i]);
        const learningRate = rateNow();
        const teacherForcing = teacherForcingAt(config, state.step);
        const started = Date.now();
        const result = await trainBatch(session, pairs, learningRate, teacherForcing);
        trainingSeconds += (Date.now() - started) / 1000;
        const tokens = targetTokenCount(pairs, batchOptionsOf(context));
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
            tokensPerSecond: sessionTokens / Math.max(trainingSeconds, 1e-3), ...progressEstimate(), ...(result.reward ? { reward: result.reward } : {}),
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
    run.updateManifest({ state: 'failed', error: (error as Error).message });
    throw error;
  }

  return finalTest(session, {
    state: finalState,
    stopReason,
    targetTokensPerSecond: sessionTokens / Math.max(trainingSeconds, 1e-3),
    // Read after the test decoding, which counts toward the run's time.
    seconds: () => sessionStartSeconds + (Date.now() - sessionStart) / 1000,
  });
}

/**
 * The final score on the test split (the validation split when there is no test split) with
 * the best checkpoint; cancelled runs are scored too, so the user sees where they stopped.
 * Writes the test metrics line, result.json and the final manifest.
 */
async function finalTest(session: TrainingSession, ending: Pick<TrainResult, 'state' | 'stopReason' | 'targetTokensPerSecond'> & { seconds: () => number }): Promise<TrainResult> {
  const { run, config, prepared, model, context, state } = session;
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
  const seconds = ending.seconds();
  const result: TrainResult = {
    run: run.dir,
    state: ending.state,
    backend: session.backend,
    epochs: state.epoch + (state.batchInEpoch > 0 ? state.batchInEpoch / Math.ceil(prepared.train.length / config.batchSize) : 0),
    steps: state.step,
    seconds,
    targetTokensPerSecond: ending.targetTokensPerSecond,
    metrics: testMetrics,
    signatures: testScore.signatures,
    stopReason: ending.stopReason,
    tokenizers: { source: prepared.sourceTokenizer.kind, target: prepared.targetTokenizer.kind },
    targetUnit: prepared.targetUnit,
    shape: prepared.shape,
    ...(testScore.confusion ? { confusion: testScore.confusion } : {}),
  };
  run.appendMetrics({ step: state.step, epoch: state.epoch, time: new Date().toISOString(), split: 'test', ...testMetrics, ...(testScore.confusion ? { confusion: testScore.confusion } : {}) });
  run.writeResult(result);
  run.updateManifest({ state: ending.state, step: state.step, epoch: state.epoch, pid: undefined });
  return result;
}

/** Decodes the fixed validation sample for the live view. */
export function sampleTranslation(context: ModelContext, pair: ExamplePair | undefined): EvalSample {
  if (!pair) return { source: '', sourceTokens: [], output: '', tokens: [], probabilities: [], attention: [], candidates: [], reference: '' };
  const hypotheses = decodeAll(context, [pair.source], 1);
  return { ...toTranslation(context, pair.sourceText, pair.sourceTokens, hypotheses[0]), reference: pair.reference };
}

/**
 * The engine as a child process of the extension host: JSON-RPC (vscode-jsonrpc) over the
 * Node IPC channel. Every params object is validated before use; errors carry an
 * EngineErrorCode so the host can react per kind. The process exits when its parent
 * disconnects, so a crashed or closed editor never leaves a trainer running.
 */
import * as os from 'os';
import * as path from 'path';
import { version_core as TFJS_VERSION } from '@tensorflow/tfjs-core';
import { CancellationToken, ResponseError } from 'vscode-jsonrpc';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { BackendName } from '../shared/config';
import { dataChoiceOf, dataChoiceProblem } from '../shared/dataChoice';
import { EngineErrorCode, EngineInfoRequest, EvaluateRequest, HelloRequest, InspectRequest, PredictProgressNotification, PredictRequest, ProgressNotification, TasksRequest, TrainRequest, TranslateRequest } from '../shared/protocol';
import { metricDefinition } from '../shared/metrics';
import { sweepStopper } from '../shared/pruning';
import { BackendError, initBackend, matMulKernel, wasmThreads } from './backend';
import { DataError, listTasks } from './data';
import { CheckpointError } from './train/checkpoint';
import { DivergedError } from './train/step';
import { ConfigError, ENGINE_VERSION, trainRun } from './train/trainer';
import { evaluateFile, loadRunModel, NotFoundError, translateLines } from './inference';
import { prepareData } from './train/dataset';
import { evaluatePairs } from './train/evaluate';
import { RunDirectory } from './train/runDir';
import { resolveWorkers } from './train/parallel';
import { PredictCancelledError, predictSplit } from './train/predict';
import { InspectConfigError, inspectData } from './train/dataCard';

type Check = (value: unknown) => string | undefined;
const isString: Check = v => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a non-empty string');
const isBoolean: Check = v => (typeof v === 'boolean' ? undefined : 'must be true or false');
const isObject: Check = v => (v !== null && typeof v === 'object' && !Array.isArray(v) ? undefined : 'must be an object');
const isStringArray: Check = v => (Array.isArray(v) && v.length > 0 && v.length <= 10_000 && v.every(s => typeof s === 'string' && s.length <= 10_000) ? undefined : 'must be a non-empty array of strings (at most 10,000 of up to 10,000 characters)');
const intIn = (min: number, max: number): Check => v => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? undefined : `must be a whole number from ${min} to ${max}`);
const numberIn = (min: number, max: number): Check => v => (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? undefined : `must be a number from ${min} to ${max}`);
const isSampling: Check = v => {
  if (isObject(v)) return 'must be an object';
  const s = v as Record<string, unknown>;
  const problem = intIn(1, 1000)(s.samples) ?? numberIn(0.01, 100)(s.temperature) ?? intIn(0, 100_000)(s.topK) ?? intIn(0, 2 ** 31)(s.seed);
  if (problem) return `fields samples, temperature, topK, seed: ${problem}`;
  return Object.keys(s).every(k => ['samples', 'temperature', 'topK', 'seed'].includes(k)) ? undefined : 'has unknown fields';
};
/** Target tokens of a forced prefix: possibly empty, each a non-empty string. */
const isTokenArray: Check = v => (Array.isArray(v) && v.length <= 1000 && v.every(s => typeof s === 'string' && s.length > 0 && s.length <= 1000) ? undefined : 'must be an array of at most 1,000 non-empty token strings');
/** A sweep trial's membership (TrainRequest.sweep): id, trial, metric, pruning, and the rule's curves and options. */
const isSweep: Check = v => {
  if (isObject(v)) return 'must be an object';
  const s = v as Record<string, unknown>;
  const curves = s.completed;
  const curvesOk = curves === undefined || (Array.isArray(curves) && curves.length <= 10_000
    && curves.every(c => Array.isArray(c) && c.length <= 100_000 && c.every(p => Array.isArray(p) && p.length === 2 && p.every(x => typeof x === 'number'))));
  if (!curvesOk) return 'completed must be an array of [step, value] curves';
  const rule = s.rule as Record<string, unknown> | undefined;
  if (rule !== undefined && (isObject(rule) || ['nStartupTrials', 'nWarmupSteps', 'nMinTrials'].some(k => intIn(0, 1_000_000)(rule[k])))) return 'rule must give nStartupTrials, nWarmupSteps and nMinTrials as whole numbers';
  const problem = isString(s.id) ?? intIn(0, 100_000)(s.trial) ?? (typeof s.metric === 'string' && metricDefinition(s.metric) ? undefined : 'metric must name a metric') ?? isBoolean(s.pruning);
  if (problem) return `fields id, trial, metric, pruning: ${problem}`;
  const settings = s.settings as Record<string, unknown> | undefined;
  if (settings !== undefined && (isObject(settings) || Object.keys(settings).length > 200 || !Object.values(settings).every(x => ['number', 'string', 'boolean'].includes(typeof x) && String(x).length <= 1000))) return 'settings must map setting names to numbers, strings or booleans';
  return Object.keys(s).every(k => ['id', 'trial', 'metric', 'pruning', 'settings', 'completed', 'rule'].includes(k)) ? undefined : 'has unknown fields';
};
const oneOf = (...options: string[]): Check => v => (typeof v === 'string' && options.includes(v) ? undefined : `must be one of ${options.join(', ')}`);

/** Checks params against a field table: required fields, optional fields, no unknown fields. */
export function validateParams<T>(method: string, params: unknown, required: Record<string, Check>, optional: Record<string, Check> = {}): T {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw invalid(`${method}: params must be an object`);
  const record = params as Record<string, unknown>;
  for (const [key, check] of Object.entries(required)) {
    if (!(key in record)) throw invalid(`${method}: ${key} is required`);
    const problem = check(record[key]);
    if (problem) throw invalid(`${method}: ${key} ${problem}`);
  }
  for (const [key, value] of Object.entries(record)) {
    if (key in required) continue;
    const check = optional[key];
    if (!check) throw invalid(`${method}: unknown field ${key}`);
    if (value === undefined) continue;
    const problem = check(value);
    if (problem) throw invalid(`${method}: ${key} ${problem}`);
  }
  return params as T;
}

/** PredictRequest params: a run directory, and optionally split, checkpoint, beam, limit and a progress id. */
export function validatePredictParams(params: unknown): PredictRequest.Params {
  return validateParams<PredictRequest.Params>(PredictRequest.method, params, { runDir: isString }, {
    split: oneOf('valid', 'test'), checkpoint: oneOf('best', 'last'), beamSize: intIn(1, 64), limit: intIn(1, 1_000_000), progressId: isString,
  });
}

function invalid(message: string): ResponseError<void> {
  return new ResponseError(EngineErrorCode.InvalidParams, message);
}

/** Maps engine exceptions to typed JSON-RPC errors. */
export function toResponseError(error: unknown): ResponseError<void> {
  if (error instanceof ResponseError) return error;
  if (error instanceof PredictCancelledError) return new ResponseError(-32800, error.message); // LSP's RequestCancelled
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ConfigError || error instanceof InspectConfigError) return new ResponseError(EngineErrorCode.BadConfig, message);
  if (error instanceof DataError) return new ResponseError(EngineErrorCode.BadData, message);
  if (error instanceof CheckpointError) return new ResponseError(EngineErrorCode.BadCheckpoint, message);
  if (error instanceof NotFoundError) return new ResponseError(EngineErrorCode.NotFound, message);
  if (error instanceof DivergedError) return new ResponseError(EngineErrorCode.DivergedLoss, message);
  if (error instanceof BackendError) return new ResponseError(EngineErrorCode.InvalidParams, message);
  if ((error as NodeJS.ErrnoException)?.code && /^E[A-Z]+$/.test((error as NodeJS.ErrnoException).code!)) return new ResponseError(EngineErrorCode.WriteFailed, message);
  return new ResponseError(-32603, message);
}

export function startEngine(): void {
  const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
  let backend: string | undefined;
  let training = false;
  const ensureBackend = async (requested: BackendName = 'auto') => (backend ??= await initBackend(requested));
  const guard = <P, R>(handler: (params: P, token: CancellationToken) => Promise<R>) => async (params: P, token: CancellationToken) => {
    try {
      return await handler(params, token);
    } catch (error) {
      throw toResponseError(error);
    }
  };

  connection.onRequest(HelloRequest.type, guard(async params => {
    const p = validateParams<HelloRequest.Params>(HelloRequest.method, params, { backend: oneOf('auto', 'tensorflow', 'wasm', 'cpu') });
    return { backend: await ensureBackend(p.backend), engineVersion: ENGINE_VERSION, tasks: listTasks() };
  }));

  connection.onRequest(TasksRequest.type, () => listTasks());

  const engineInfo = guard<void, EngineInfoRequest.Result>(async () => {
    const used = await ensureBackend();
    const matMul = matMulKernel();
    return {
      backend: used,
      engineVersion: ENGINE_VERSION,
      tfjsVersion: TFJS_VERSION,
      kernelThreads: wasmThreads(),
      matMulKernel: matMul.kernel,
      nativeMatMulProblem: matMul.nativeProblem,
      autoWorkers: resolveWorkers(0),
      cpuCores: os.cpus().length,
      nodeVersion: process.versions.node,
      platform: `${process.platform}-${process.arch}`,
    };
  });
  connection.onRequest(EngineInfoRequest.type, token => engineInfo(undefined, token));

  connection.onRequest(TrainRequest.type, guard(async (params, token) => {
    const p = validateParams<TrainRequest.Params>(TrainRequest.method, params, { runDir: isString }, { task: isString, dataPath: isString, config: isObject, resume: isBoolean, sweep: isSweep, finetuneFrom: isString });
    if (p.finetuneFrom !== undefined && (p.resume || p.task !== undefined || p.dataPath !== undefined)) throw invalid(`${TrainRequest.method}: finetuneFrom takes no data and no resume (the data is the source run's)`);
    const dataProblem = p.resume || p.finetuneFrom !== undefined ? undefined : dataChoiceProblem(p);
    if (dataProblem) throw invalid(`${TrainRequest.method}: a new run ${dataProblem}`);
    if (training) throw new ResponseError(EngineErrorCode.Busy, 'the engine is already training a run');
    training = true;
    try {
      const runDir = path.resolve(p.runDir);
      return await trainRun({
        runDir,
        data: p.resume || p.finetuneFrom !== undefined ? undefined : dataChoiceOf(p),
        config: p.config,
        resume: p.resume,
        finetuneFrom: p.finetuneFrom === undefined ? undefined : path.resolve(p.finetuneFrom),
        backend: await ensureBackend(),
        isCancelled: () => token.isCancellationRequested,
        onProgress: event => void connection.sendNotification(ProgressNotification.type, { runDir, event }),
        ...(p.sweep ? { sweep: { id: p.sweep.id, trial: p.sweep.trial, metric: p.sweep.metric, pruning: p.sweep.pruning, ...(p.sweep.settings ? { settings: p.sweep.settings } : {}) }, stopAfterEvaluation: sweepStopper(p.sweep) } : {}),
      });
    } finally {
      training = false;
    }
  }));

  connection.onRequest(TranslateRequest.type, guard(async params => {
    const p = validateParams<TranslateRequest.Params>(TranslateRequest.method, params, { modelDir: isString, lines: isStringArray }, { beamSize: intIn(1, 64), lengthPenalty: numberIn(0, 5), maxLength: intIn(1, 1000), sampling: isSampling, forcedPrefix: isTokenArray });
    if (p.forcedPrefix && p.sampling) throw invalid(`${TranslateRequest.method}: forcedPrefix and sampling cannot be combined`);
    const used = await ensureBackend();
    const context = loadRunModel(path.resolve(p.modelDir));
    return { backend: used, translations: translateLines(context, p.lines, p) };
  }));

  connection.onRequest(EvaluateRequest.type, guard(async params => {
    const p = validateParams<EvaluateRequest.Params>(EvaluateRequest.method, params, { modelDir: isString }, { dataPath: isString, beamSize: intIn(1, 64) });
    const used = await ensureBackend();
    const runDir = path.resolve(p.modelDir);
    const context = loadRunModel(runDir);
    if (p.dataPath) return { backend: used, ...evaluateFile(context, path.resolve(p.dataPath), p.beamSize) };
    const saved = new RunDirectory(runDir).readConfig();
    const prepared = prepareData(saved.data, context.config, { source: context.sourceVocab, target: context.targetVocab, tokenizers: { source: context.sourceTokenizer, target: context.targetTokenizer } });
    return { backend: used, pairs: prepared.test.length, metrics: evaluatePairs(context, prepared.test, p.beamSize ?? context.config.beamSize).metrics };
  }));

  connection.onRequest(InspectRequest.type, guard(async (params, token) => {
    const p = validateParams<InspectRequest.Params>(InspectRequest.method, params, {}, { dataPath: isString, task: isString, config: isObject });
    const dataProblem = dataChoiceProblem(p);
    if (dataProblem) throw invalid(`${InspectRequest.method}: ${dataProblem}`);
    await new Promise(resolve => setImmediate(resolve)); // a request cancelled while queued does no work
    if (token.isCancellationRequested) throw new ResponseError(-32800, 'inspect cancelled');
    return inspectData(p.dataPath !== undefined ? { dataPath: path.resolve(p.dataPath) } : { task: p.task }, p.config ?? {});
  }));

  connection.onRequest(PredictRequest.type, guard(async (params, token) => {
    const p = validatePredictParams(params);
    const used = await ensureBackend();
    const result = await predictSplit(path.resolve(p.runDir), p, {
      isCancelled: () => token.isCancellationRequested,
      onProgress: (done, total, samples) => {
        if (p.progressId) void connection.sendNotification(PredictProgressNotification.type, { progressId: p.progressId, done, total, samples });
      },
    });
    return { backend: used, ...result };
  }));

  // A parent that goes away takes the engine with it.
  process.on('disconnect', () => process.exit(0));
  connection.onClose(() => process.exit(0));
  connection.listen();
}

if (require.main === module) {
  if (!process.send) {
    process.stderr.write('seq2seq-lab engine: run me as a child process with an IPC channel (child_process.fork); for the terminal use bin/seq2seq-lab.js\n');
    process.exit(2);
  }
  startEngine();
}

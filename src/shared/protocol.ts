/**
 * The host ↔ engine protocol (vscode-jsonrpc over the child process's IPC channel).
 *
 * One namespace per message, each with a literal `method` and a typed RequestType or
 * NotificationType, after microsoft/vscode-eslint's `customMessages.ts`. Both sides import
 * these types; the engine validates every params object it receives (see engine/main.ts).
 * Long requests (train, evaluate) take the JSON-RPC cancellation token: cancelling the
 * request stops training after a checkpoint is saved.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';
import type { BackendName, ResolvedShape, Seq2SeqConfig } from './config';
import type { DatasetCard, TokenizerDecision } from './dataCard';
import type { DataChoice } from './dataChoice';

/** Metrics of one evaluation; every field is a number so charts can plot any of them. */
export interface EvalMetrics {
  /** Share of outputs identical to their reference, 0–1. */
  exactMatch: number;
  /** Share of reference positions predicted correctly, 0–1. */
  tokenAccuracy: number;
  /** Corpus BLEU, sacreBLEU-compatible, 0–100. */
  bleu: number;
  /** chrF (n=6, β=2), 0–100. */
  chrf: number;
  /** Teacher-forced perplexity of the references. */
  perplexity: number;
  /** Teacher-forced mean cross-entropy per target token. */
  loss: number;
  /** Character error rate: character edit distance ÷ reference characters, 0–1 (may exceed 1). */
  cer: number;
  /** Word error rate over space-separated words (phonemes for g2p: the PER), 0–1 (may exceed 1). */
  wer: number;
  /** Share of reference positions (</s> included) the teacher-forced decoder's argmax gets right, 0–1. */
  teacherForcedAccuracy: number;
  /** Mean cross-entropy per reference token with the decoder fed its own greedy predictions. */
  freeRunLoss: number;
  /** Share of reference positions the free-running decoder's argmax gets right, 0–1. */
  freeRunAccuracy: number;
  /** freeRunLoss − loss: what feeding its own predictions costs the model (exposure bias). */
  exposureGap: number;
  /** Mean sentence-level reward (the run's rlReward) of the decoded outputs against their references. */
  reward: number;
  /**
   * classify and tag: the unweighted mean over reference labels (tags) of each label's F1,
   * 0–1 (labels only predicted, never in a reference, count as false positives of none); NaN
   * for seq2seq and generate. Absent (NaN when read) in runs before the shapes.
   */
  macroF1: number;
}

/**
 * classify: counts of (reference, predicted) label pairs of one evaluation: `counts[r][p]` is
 * how many outputs with reference `labels[r]` were predicted `labels[p]` (rows = reference,
 * columns = predicted). `labels` are the reference labels and any other predicted ones, sorted
 * by reference count, most frequent first (then by name).
 */
export interface ConfusionMatrix {
  labels: string[];
  counts: number[][];
}

/** One decoded output with everything the panels need to show it. */
export interface Translation {
  source: string;
  sourceTokens: string[];
  output: string;
  /**
   * The output's tokens. classify: one token, the label; tag: one tag per source token
   * (`tokens[i]` is the tag of `sourceTokens[i]`, same length).
   */
  tokens: string[];
  /** Probability of each output token when it was chosen. */
  probabilities: number[];
  /** [targetLen][sourceLen] attention weights (empty rows when the model has no attention). */
  attention: number[][];
  /** The n-best list, best first (one entry for greedy decoding). */
  candidates: Array<{ output: string; tokens: string[]; probabilities: number[]; logProbability: number; score: number; attention: number[][] }>;
}

/** The fixed validation sample shown at every evaluation. */
export interface EvalSample extends Translation {
  reference: string;
}

/**
 * What the engine decided for settings left at `auto` (0), with the reason, and the tokenizer
 * decisions of both sides; kept in the run's config.json and shown at start-up.
 */
export interface RunDecisions {
  settings: Array<{ key: keyof Seq2SeqConfig; value: number | string | boolean; reason: string }>;
  sourceTokenizer: TokenizerDecision;
  targetTokenizer: TokenizerDecision;
}

/** objective rl: the step's mean sentence reward of the sampled sequences and of the greedy baseline. */
export interface StepReward {
  sampled: number;
  greedy: number;
}

export type RunState = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';

/**
 * Progress of a training run; `step` events come at most four times a second. `epoch` is the
 * 0-based index of the epoch in progress (display it + 1); `step` counts updates done.
 */
export type ProgressEvent =
  | { kind: 'start'; runDir: string; backend: string; config: Seq2SeqConfig; trainPairs: number; validPairs: number; testPairs: number; stepsPerEpoch: number; totalSteps: number; startStep: number; decisions?: RunDecisions; targetUnit?: 'word' | 'phoneme'; shape?: ResolvedShape }
  | { kind: 'step'; step: number; epoch: number; loss: number; learningRate: number; gradientNorm: number; teacherForcing: number; tokensPerSecond: number; etaSeconds: number; fractionDone: number; reward?: StepReward }
  | { kind: 'eval'; step: number; epoch: number; metrics: EvalMetrics; best: boolean; sample: EvalSample; confusion?: ConfusionMatrix }
  | { kind: 'checkpoint'; step: number; epoch: number; path: string; best: boolean }
  | { kind: 'log'; level: 'info' | 'warn'; message: string };

export interface TrainResult {
  run: string;
  state: RunState;
  backend: string;
  epochs: number;
  steps: number;
  seconds: number;
  targetTokensPerSecond: number;
  /** Metrics on the test split with the best checkpoint. */
  metrics: EvalMetrics;
  /** sacreBLEU-style signatures, e.g. nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0 */
  signatures: { bleu: string; chrf: string };
  /** Why the run ended when it did. */
  stopReason: string;
  /** The tokenizers the run used (after `auto`). */
  tokenizers?: { source: string; target: string };
  /** What a target word is (`phoneme` for g2p: the WER is then the PER). */
  targetUnit?: 'word' | 'phoneme';
  /** The shape the run trained (`auto` decided); absent in runs before the shapes (seq2seq). */
  shape?: ResolvedShape;
  /** classify: the test split's confusion matrix. */
  confusion?: ConfusionMatrix;
}

export interface TaskInfo {
  name: string;
  description: string;
  defaultSize: number;
  /** The task's shape (what `shape: auto` trains on it). */
  shape: ResolvedShape;
}

/** host → engine: first message; starts the backend and says which one runs. */
export namespace HelloRequest {
  export const method = 'engine/hello' as const;
  export interface Params { backend: BackendName }
  export interface Result { backend: string; engineVersion: string; tasks: TaskInfo[] }
  export const type = new RequestType<Params, Result, void>(method);
}

/** host → engine: train a new run into `runDir`, or resume the run there. Cancellable. */
/** A run's place in a sweep, as config.json records it (`sweep`). */
export interface RunSweep {
  id: string;
  /** 0-based trial index. */
  trial: number;
  /** The validation metric the sweep compares (and the median rule watches). */
  metric: keyof EvalMetrics;
  /** Whether the median stopping rule watched this trial. */
  pruning: boolean;
  /** The trial's swept settings (its seed included): the sweep page's axes. */
  settings?: Record<string, number | string | boolean>;
}

/** A sweep trial's membership and, with the rule on, what the median rule compares it with. */
export interface RunSweepRequest extends RunSweep {
  /**
   * The validation curves ([step, value] pairs of `metric`) of the sweep's trials that completed
   * before this one started (pruned ones left out); the rule's options (src/shared/pruning.ts).
   */
  completed?: Array<Array<[number, number]>>;
  rule?: { nStartupTrials: number; nWarmupSteps: number; nMinTrials: number };
}

export namespace TrainRequest {
  export const method = 'engine/train' as const;
  /**
   * A new run: its data (a task or a file) and settings; or `resume`, which takes no data; or
   * `finetuneFrom`, a new run from that run's best checkpoint (its data and model; `config`
   * changes training and decoding settings only). `sweep`: the sweep this run is a trial of
   * (recorded in its config.json), with its median stopping rule.
   */
  export type Params = { runDir: string; config?: Partial<Seq2SeqConfig>; sweep?: RunSweepRequest }
    & ((DataChoice & { resume?: false; finetuneFrom?: never }) | { resume: true; task?: never; dataPath?: never; finetuneFrom?: never } | { finetuneFrom: string; resume?: false; task?: never; dataPath?: never });
  export type Result = TrainResult;
  export const type = new RequestType<Params, Result, void>(method);
}

/** engine → host: progress of the running training request. */
export namespace ProgressNotification {
  export const method = 'engine/progress' as const;
  export interface Params { runDir: string; event: ProgressEvent }
  export const type = new NotificationType<Params>(method);
}

/** host → engine: translate lines with a trained run's best checkpoint. */
export namespace TranslateRequest {
  export const method = 'engine/translate' as const;
  export interface Params {
    modelDir: string;
    lines: string[];
    beamSize?: number;
    lengthPenalty?: number;
    maxLength?: number;
    /** Sample instead of searching: `samples` draws per line (temperature, top-k; 0 = all). */
    sampling?: { samples: number; temperature: number; topK: number; seed: number };
    /**
     * What-if (forced decoding): the output starts with these target tokens, fed to the decoder
     * one by one whatever it would have chosen; decoding then continues greedily from there.
     * Every token must be in the target vocabulary. Not with `sampling`; `beamSize` is ignored.
     */
    forcedPrefix?: string[];
  }
  export interface Result { backend: string; translations: Translation[] }
  export const type = new RequestType<Params, Result, void>(method);
}

/** host → engine: score a run's best checkpoint on a data file or on its own test split. Cancellable. */
export namespace EvaluateRequest {
  export const method = 'engine/evaluate' as const;
  export interface Params { modelDir: string; dataPath?: string; beamSize?: number }
  export interface Result { backend: string; pairs: number; metrics: EvalMetrics }
  export const type = new RequestType<Params, Result, void>(method);
}

/** One sample of a split with the model's greedy (or beam) prediction, for the diffs panel. */
export interface PredictedSample {
  /** Position in the split (stable across checkpoints and runs that share the data split). */
  index: number;
  source: string;
  /**
   * The source as the model's tokenizer split it (reading order). Always given for shape tag,
   * where `referenceTokens[i]` and `predictionTokens[i]` are the reference and predicted tags of
   * `sourceTokens[i]` (all three the same length).
   */
  sourceTokens?: string[];
  /** Detokenized reference and its tokens (as the tokenizer split it; not <unk>-mapped). */
  reference: string;
  referenceTokens: string[];
  /**
   * The source's other accepted references when the data gives it several (a word's other
   * pronunciations); exact match and error rates count the nearest, as the engine's metrics.
   */
  alternatives?: string[];
  /** Detokenized prediction and its tokens (no </s>). */
  prediction: string;
  predictionTokens: string[];
  /** Probability of each predicted token when it was chosen. */
  probabilities: number[];
}

/**
 * host → engine: predict a run's validation or test split (the split its training used:
 * same data, seed and vocabularies) with its best or last checkpoint. Cancellable; reports
 * PredictProgressNotification every batch.
 */
export namespace PredictRequest {
  export const method = 'engine/predict' as const;
  export interface Params {
    runDir: string;
    /** Default 'valid'. */
    split?: 'valid' | 'test';
    /** Default 'best' (the last checkpoint when the run has no best yet). */
    checkpoint?: 'best' | 'last';
    /** Default 1 (greedy, batched). */
    beamSize?: number;
    /** At most this many samples (from the start of the split); default all. */
    limit?: number;
    /** Echoed in progress notifications so the host can tell concurrent requests apart. */
    progressId?: string;
  }
  export interface Result {
    backend: string;
    runDir: string;
    split: 'valid' | 'test';
    /** The checkpoint actually used and the training step it was saved at. */
    checkpoint: 'best' | 'last';
    step: number;
    /** How the target tokenizer joins tokens back into text ('' for characters, ' ' for words). */
    joiner: string;
    /** What a target word is (`phoneme` for g2p: the WER is then the PER). */
    targetUnit: 'word' | 'phoneme';
    /** The run's shape: classify samples have one-token label predictions, tag samples per-token tags. */
    shape: ResolvedShape;
    /** classify: the confusion matrix of the predicted samples. */
    confusion?: ConfusionMatrix;
    samples: PredictedSample[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * engine → host: progress of a PredictRequest: samples decoded so far, and the batch just
 * decoded (so a panel can show partial results while the rest is predicted).
 */
export namespace PredictProgressNotification {
  export const method = 'engine/predictProgress' as const;
  export interface Params { progressId: string; done: number; total: number; samples: PredictedSample[] }
  export const type = new NotificationType<Params>(method);
}

/**
 * host → engine: the dataset card of a data file (or a built-in task) under a configuration:
 * what `auto` would choose, lengths, vocabularies, unseen tokens, warnings. Cancellable.
 */
export namespace InspectRequest {
  export const method = 'engine/inspect' as const;
  export type Params = { config?: Partial<Seq2SeqConfig> } & DataChoice;
  export type Result = DatasetCard;
  export const type = new RequestType<Params, Result, void>(method);
}

/** host → engine: what the engine runs on, for "Show Engine Info"; starts the backend if needed. */
export namespace EngineInfoRequest {
  export const method = 'engine/info' as const;
  export interface Result {
    backend: string;
    engineVersion: string;
    /** tfjs-core's version. */
    tfjsVersion: string;
    /** Threads inside each WASM kernel (1 on the other backends). */
    kernelThreads: number;
    /** What computes matrix products, e.g. "native BLAS (OpenBLAS 0.3.21)" or "XNNPACK (WASM SIMD)". */
    matMulKernel: string;
    /** Why the native matmul kernel is not in use, on the WASM backend without it. */
    nativeMatMulProblem?: string;
    /** Training threads the `workers` setting's auto (0) resolves to on this machine and backend. */
    autoWorkers: number;
    cpuCores: number;
    /** The engine process's Node version and platform (e.g. linux-x64). */
    nodeVersion: string;
    platform: string;
  }
  export const type = new RequestType0<Result, void>(method);
}

/** host → engine: the built-in tasks. */
export namespace TasksRequest {
  export const method = 'engine/tasks' as const;
  export type Result = TaskInfo[];
  export const type = new RequestType0<Result, void>(method);
}

/** Error codes the engine puts on JSON-RPC errors, so the host can react per kind. */
export const enum EngineErrorCode {
  InvalidParams = -32602,
  BadConfig = 1001,
  BadData = 1002,
  BadCheckpoint = 1003,
  NotFound = 1004,
  DivergedLoss = 1005,
  WriteFailed = 1006,
  Busy = 1007,
}

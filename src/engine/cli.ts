/**
 * `seq2seq-lab` command line: train, sweep, remedies, translate, eval, inspect, tasks.
 *
 * Contract (other tools rely on it): progress goes to stderr; the LAST line on stdout is one
 * JSON object; errors are one line on stderr (stack only with --verbose) and a non-zero exit.
 *
 * Why one file past 400 lines: the contract above is shared by every subcommand (the same
 * `out`, progress printer, settings parsing and error path), and each subcommand is one
 * function of its own below; the work itself lives in train/, inference.ts and sweep.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { BackendName, DEFAULT_CONFIG, parseSetting, PRESETS, ResolvedShape, Seq2SeqConfig } from '../shared/config';
import { formatMetric, metricDefinition, MetricKey, metricLabel, METRICS } from '../shared/metrics';
import { MEDIAN_RULE_DEFAULTS, MedianRuleOptions } from '../shared/pruning';
import { DEFAULT_SWEEP_METRIC, expandSweep, parseAxis, SweepAxis, SweepPlan } from '../shared/sweep';
import type { ConfusionMatrix, EvalMetrics, ProgressEvent, TrainResult } from '../shared/protocol';
import { SHAPES } from '../shared/shapes';
import { initBackend } from './backend';
import { listTasks } from './data';
import { evaluateFile, loadRunModel, translateLines } from './inference';
import { ENGINE_VERSION, trainRun } from './train/trainer';
import { prepareData } from './train/dataset';
import { evaluatePairs } from './train/evaluate';
import { RunDirectory } from './train/runDir';
import { RUN_FILES } from '../shared/runDir';
import { runSweep } from './sweep';
import { describeCard, InspectConfigError, inspectData } from './train/dataCard';
import { checkRemediesName, compareRemedies, describeRemedies, REMEDY_LABELS, remediesFile } from './remedies';

const USAGE = `Seq2Seq Lab engine ${ENGINE_VERSION}

Usage:
  seq2seq-lab train (--task <name> | --data <file>) [--out <dir>] [--config <json file>] [--preset demo|britz]
                    [--set key=value …] [--backend auto|tensorflow|wasm|cpu] [--seed N] [--max-minutes M]
  seq2seq-lab train --resume <dir> [--set epochs=N …] [--max-minutes M] [--backend …]
  seq2seq-lab train --finetune-from <run dir> [--objective xent|rl] [--out <dir>] [--set key=value …] [--max-minutes M] [--backend …]
  seq2seq-lab translate --model <dir> [--beam N] [--length-penalty A] [--max-length L]
                        [--sample N [--temperature T] [--top-k K] [--seed S]] "<text>" ["<text>" …]
  seq2seq-lab eval --model <dir> [--data <file>] [--beam N]
  seq2seq-lab inspect (--data <file> | --task <name>) [--config <json file>] [--preset …] [--set key=value …]
  seq2seq-lab sweep (--task <name> | --data <file>) --grid key=values … [--random N [--sampling-seed S]] [--seeds S]
                    [--metric loss|exactMatch|…] [--no-prune] [--out <dir>] [--preset …] [--config …] [--set key=value …]
  seq2seq-lab remedies (--task <name> | --data <file>) [--out <runs dir>] [--name <name>] [--epochs N] [--rl-epochs N]
                       [--preset …] [--config …] [--set key=value …] [--backend …]
  seq2seq-lab tasks

--out defaults to runs/<task>-<time> (sweeps: runs/sweep-<task>-<time>; fine-tuning: <run dir>-<objective>-<time>).
remedies trains teacher forcing, scheduled sampling and an RL fine-tune of the teacher-forced run on the
same data, as runs <name>-teacher-forcing, <name>-scheduled-sampling, <name>-rl under --out (default runs),
and prints their best checkpoints' exposure gaps side by side.
--finetune-from starts a new run from that run's best checkpoint (its data, vocabularies and model
settings; --set may change training and decoding settings only); --objective is --set objective=…. A sweep's values are a
list (--grid hiddenSize=64,128) or a range (--grid "learningRate=1e-4 .. 1e-2, log, 6 values"). Every setting of the configuration can be given with
--set (see README, "Configuration").
Add --verbose for stack traces.`;

class UsageError extends Error {}

/** Now as `YYYYMMDD-HHMMSS` (UTC): the suffix of a run folder chosen without --out, so repeating a command never collides. */
function runStamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function out(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

/** A one-line progress bar on stderr (rewritten in place on a terminal, a line per update otherwise). */
function progressPrinter(): (event: ProgressEvent) => void {
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  let shape: ResolvedShape = 'seq2seq';
  return event => {
    switch (event.kind) {
      case 'start':
        shape = event.shape ?? 'seq2seq';
        process.stderr.write(`run ${event.runDir}\ntraining on ${event.backend}: ${event.trainPairs} train / ${event.validPairs} valid / ${event.testPairs} test pairs, ${event.stepsPerEpoch} steps per epoch\n`);
        break;
      case 'step': {
        const width = 24;
        const filled = Math.round(event.fractionDone * width);
        const reward = event.reward ? ` reward ${event.reward.sampled.toFixed(3)} (greedy ${event.reward.greedy.toFixed(3)})` : '';
        const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] epoch ${event.epoch + 1} step ${event.step} loss ${event.loss.toFixed(4)}${reward} ${Math.round(event.tokensPerSecond)} tok/s eta ${formatDuration(event.etaSeconds)}`;
        if (tty) process.stderr.write(`\r${line}\x1b[K`);
        else if (Date.now() - lastLine > 10_000) {
          process.stderr.write(line + '\n');
          lastLine = Date.now();
        }
        break;
      }
      case 'eval': {
        const m = event.metrics;
        if (shape === 'classify' || shape === 'tag') {
          process.stderr.write(`${tty ? '\r\x1b[K' : ''}eval step ${event.step}: ${shapeMetrics(m, shape)}${event.best ? ' (best)' : ''}\n`);
          process.stderr.write(`  ${JSON.stringify(event.sample.source)} → ${JSON.stringify(event.sample.output)} (reference ${JSON.stringify(event.sample.reference)})\n`);
          break;
        }
        process.stderr.write(`${tty ? '\r\x1b[K' : ''}eval step ${event.step}: exact ${(m.exactMatch * 100).toFixed(2)}% tokens ${(m.tokenAccuracy * 100).toFixed(2)}% BLEU ${m.bleu.toFixed(2)} chrF ${m.chrf.toFixed(2)} CER ${(m.cer * 100).toFixed(2)}% WER ${(m.wer * 100).toFixed(2)}% loss ${m.loss.toFixed(4)} reward ${m.reward.toFixed(4)}${event.best ? ' (best)' : ''}\n`);
        // Exposure bias: the same references with the decoder fed the reference vs its own predictions.
        process.stderr.write(`  teacher-forced loss ${m.loss.toFixed(4)} acc ${(m.teacherForcedAccuracy * 100).toFixed(2)}% | free-running loss ${m.freeRunLoss.toFixed(4)} acc ${(m.freeRunAccuracy * 100).toFixed(2)}% | gap ${m.exposureGap.toFixed(4)}\n`);
        process.stderr.write(`  ${JSON.stringify(event.sample.source)} → ${JSON.stringify(event.sample.output)} (reference ${JSON.stringify(event.sample.reference)})\n`);
        break;
      }
      case 'log':
        process.stderr.write(`${tty ? '\r\x1b[K' : ''}${event.level}: ${event.message}\n`);
        break;
      case 'checkpoint':
        break;
    }
  };
}

/** Ctrl+C (or SIGTERM) once: the returned poll turns true and the run checkpoints; twice: exit at once. */
function cancelOnSignal(message: string): () => boolean {
  let cancelled = false;
  const onSignal = () => {
    if (cancelled) process.exit(130);
    cancelled = true;
    process.stderr.write(`\n${message} (Ctrl+C again to abort without one)\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => cancelled;
}

function readConfigFile(file: string): Partial<Seq2SeqConfig> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--config ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message}`);
  }
  try {
    const value = JSON.parse(text);
    // Accept a run's config.json ({ config: … }) as well as a bare settings object.
    return value && typeof value === 'object' && 'config' in value && typeof value.config === 'object' ? value.config : value;
  } catch (error) {
    throw new UsageError(`--config ${file}: not valid JSON (${(error as Error).message})`);
  }
}

function parseSettings(settings: string[]): Partial<Seq2SeqConfig> {
  const overrides: Partial<Seq2SeqConfig> = {};
  for (const assignment of settings) {
    try {
      const { key, value } = parseSetting(assignment);
      (overrides as Record<string, unknown>)[key] = value;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return overrides;
}

/** --preset, then --config, then --set, each over the one before. */
function buildConfig(presetName: string | undefined, configFile: string | undefined, settings: string[]): Partial<Seq2SeqConfig> {
  let config: Partial<Seq2SeqConfig> = {};
  if (presetName) {
    const preset = PRESETS[presetName];
    if (!preset) throw new UsageError(`unknown preset "${presetName}" (available: ${Object.keys(PRESETS).join(', ')})`);
    config = { ...preset.config };
  }
  if (configFile) config = { ...config, ...readConfigFile(configFile) };
  return { ...config, ...parseSettings(settings) };
}

async function commandTrain(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      task: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, resume: { type: 'string' },
      'finetune-from': { type: 'string' }, objective: { type: 'string' },
      config: { type: 'string' }, preset: { type: 'string' }, set: { type: 'string', multiple: true },
      backend: { type: 'string', default: 'auto' }, seed: { type: 'string' }, 'max-minutes': { type: 'string' }, verbose: { type: 'boolean' },
    },
    strict: true,
  });
  const backendName = checkBackend(values.backend!);
  const common = { isCancelled: cancelOnSignal('stopping: saving a checkpoint'), onProgress: progressPrinter() };
  const settings: string[] = [...(values.set ?? [])];
  if (values.seed !== undefined) settings.push(`seed=${values.seed}`);
  if (values['max-minutes'] !== undefined) settings.push(`maxMinutes=${values['max-minutes']}`);
  if (values.objective !== undefined) settings.push(`objective=${values.objective}`);
  const overrides = parseSettings(settings);
  const finetuneFrom = values['finetune-from'];
  if (finetuneFrom !== undefined) {
    if (values.task || values.data || values.resume || values.config || values.preset) throw new UsageError('--finetune-from takes the source run directory (and --out, --objective, --set) only: the data and model are the source run\'s');
    const source = path.resolve(finetuneFrom);
    if (!fs.existsSync(path.join(source, RUN_FILES.manifest))) throw new UsageError(`--finetune-from ${finetuneFrom}: no run there (manifest.json missing)`);
    const outDir = values.out ?? `${source}-${overrides.objective ?? 'finetune'}-${runStamp()}`;
    const backend = await initBackend(backendName);
    printSummary(await trainRun({ runDir: path.resolve(outDir), finetuneFrom: source, config: overrides, backend, ...common }));
    return;
  }
  if (values.resume) {
    if (values.task || values.data || values.out || values.config || values.preset) throw new UsageError('--resume takes the run directory (and --set for epochs, time limit and evaluation settings) only');
    const backend = await initBackend(backendName);
    printSummary(await trainRun({ runDir: path.resolve(values.resume), resume: true, config: overrides, backend, ...common }));
    return;
  }
  if (!values.task === !values.data) throw new UsageError('train needs exactly one of --task <name> or --data <file>');
  // Without --out, a fresh directory under ./runs, so running the same command twice never collides.
  const outDir = values.out ?? path.join('runs', `${values.task ?? path.parse(values.data!).name}-${runStamp()}`);
  const config = { ...buildConfig(values.preset, values.config, []), ...overrides };
  const backend = await initBackend(backendName);
  const data = values.task ? { task: values.task } : { dataPath: path.resolve(values.data!) };
  printSummary(await trainRun({ runDir: path.resolve(outDir), data, config, backend, ...common }));
}

/** The metrics of a shape (SHAPES[shape].metrics) with their shape's labels: "Accuracy 84.00 %, Macro-F1 64.80 %, …". */
function shapeMetrics(m: EvalMetrics, shape: ResolvedShape): string {
  return SHAPES[shape].metrics.map(key => `${metricLabel(key, shape)} ${formatMetric(key, m[key])}`).join(', ');
}

/** A confusion matrix as aligned text rows (reference label, then the counts per predicted label). */
function confusionLines(confusion: ConfusionMatrix): string[] {
  const width = Math.max(5, ...confusion.labels.map(l => l.length), ...confusion.counts.flat().map(c => String(c).length)) + 1;
  const pad = (text: string) => text.padStart(width);
  return [
    `confusion (rows reference, columns predicted):`,
    `${pad('')}${confusion.labels.map(pad).join('')}`,
    ...confusion.counts.map((row, r) => `${pad(confusion.labels[r])}${row.map(c => pad(String(c))).join('')}`),
  ];
}

/** The test metrics in words on stderr (WER per word and PER for phoneme targets), then the JSON line. */
function printSummary(result: TrainResult): void {
  const m = result.metrics;
  if (result.shape === 'classify' || result.shape === 'tag') {
    process.stderr.write(`test: ${shapeMetrics(m, result.shape)} (${result.stopReason})\n`);
    if (result.confusion) for (const line of confusionLines(result.confusion)) process.stderr.write(line + '\n');
    out(result);
    return;
  }
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  const rates = result.targetUnit === 'phoneme'
    ? `WER (per word, 1 − exact match) ${pct(1 - m.exactMatch)}, PER ${pct(m.wer)}`
    : `CER ${pct(m.cer)}, WER ${pct(m.wer)}`;
  process.stderr.write(`test: exact match ${pct(m.exactMatch)}, ${rates}, BLEU ${m.bleu.toFixed(2)}, chrF ${m.chrf.toFixed(2)} (${result.stopReason})\n`);
  out(result);
}

/** `--grid key=values`: the axes of a sweep (see src/shared/sweep.ts for the syntax). */
function parseGrid(assignments: string[]): SweepAxis[] {
  return assignments.map(assignment => {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new UsageError(`--grid expects key=values (got "${assignment}")`);
    try {
      return parseAxis(assignment.slice(0, eq).trim(), assignment.slice(eq + 1));
    } catch (error) {
      throw new UsageError(`--grid ${(error as Error).message}`);
    }
  });
}

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number (got "${value}")`);
  return n;
}

/** Trials one after another under --out, the median rule on unless --no-prune; the last stdout line is the summary. */
async function commandSweep(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      task: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, config: { type: 'string' }, preset: { type: 'string' },
      set: { type: 'string', multiple: true }, grid: { type: 'string', multiple: true }, random: { type: 'string' }, 'sampling-seed': { type: 'string' },
      seeds: { type: 'string' }, seed: { type: 'string' }, metric: { type: 'string', default: DEFAULT_SWEEP_METRIC }, 'no-prune': { type: 'boolean' },
      'startup-trials': { type: 'string' }, 'warmup-steps': { type: 'string' },
      backend: { type: 'string', default: 'auto' }, verbose: { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.task === !values.data) throw new UsageError('sweep needs exactly one of --task <name> or --data <file>');
  const metric = values.metric!;
  if (!metricDefinition(metric)) throw new UsageError(`--metric must be one of ${METRICS.map(m => m.key).join(', ')} (got "${metric}")`);
  const base = buildConfig(values.preset, values.config, [...(values.set ?? []), ...(values.seed !== undefined ? [`seed=${values.seed}`] : [])]);
  const plan: SweepPlan = {
    axes: parseGrid(values.grid ?? []),
    mode: values.random !== undefined ? 'random' : 'grid',
    samples: values.random !== undefined ? wholeNumber('random', values.random, 0) : undefined,
    samplingSeed: wholeNumber('sampling-seed', values['sampling-seed'], 1),
    seeds: wholeNumber('seeds', values.seeds, 1),
    baseSeed: base.seed ?? DEFAULT_CONFIG.seed,
  };
  let trials;
  try {
    trials = expandSweep(plan);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const prune: MedianRuleOptions | undefined = values['no-prune'] ? undefined : {
    ...MEDIAN_RULE_DEFAULTS,
    nStartupTrials: wholeNumber('startup-trials', values['startup-trials'], MEDIAN_RULE_DEFAULTS.nStartupTrials),
    nWarmupSteps: wholeNumber('warmup-steps', values['warmup-steps'], MEDIAN_RULE_DEFAULTS.nWarmupSteps),
  };
  const outDir = path.resolve(values.out ?? path.join('runs', `sweep-${values.task ?? path.parse(values.data!).name}-${runStamp()}`));
  const isCancelled = cancelOnSignal('stopping the sweep: saving the running trial\'s checkpoint');
  const backend = await initBackend(checkBackend(values.backend!));
  const printers = new Map<number, (event: ProgressEvent) => void>();
  process.stderr.write(`sweep ${outDir}: ${trials.length} trials, metric validation ${metric}, median rule ${prune ? 'on' : 'off'}\n`);
  const summary = await runSweep({
    outDir, data: values.task ? { task: values.task } : { dataPath: path.resolve(values.data!) }, base, trials, metric: metric as MetricKey, prune, backend,
    isCancelled,
    onProgress: (trial, event) => {
      if (!printers.has(trial.index)) {
        printers.set(trial.index, progressPrinter());
        process.stderr.write(`trial ${trial.index + 1}/${trials!.length}: ${JSON.stringify(trial.settings)}\n`);
      }
      printers.get(trial.index)!(event);
    },
    onTrialEnd: result => process.stderr.write(`trial ${result.index + 1}: ${result.state}${result.metric !== undefined ? `, best validation ${metric} ${formatMetric(metric as MetricKey, result.metric)}` : ''}${result.error ? ` (${result.error})` : result.stopReason ? ` (${result.stopReason})` : ''}\n`),
  });
  if (summary.best) process.stderr.write(`best: ${JSON.stringify(summary.best.settings)} — ${metric} ${formatMetric(metric as MetricKey, summary.best.mean)}${summary.best.completed > 1 ? ` ± ${formatMetric(metric as MetricKey, summary.best.std)} over ${summary.best.completed} seeds` : ''}\n`);
  out({ sweep: outDir, ...summary });
}

/** Teacher forcing vs scheduled sampling vs RL fine-tuning on the same data (seed 001's remedies). */
async function commandRemedies(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      task: { type: 'string' }, data: { type: 'string' }, out: { type: 'string', default: 'runs' }, name: { type: 'string' },
      epochs: { type: 'string' }, 'rl-epochs': { type: 'string' },
      config: { type: 'string' }, preset: { type: 'string' }, set: { type: 'string', multiple: true },
      backend: { type: 'string', default: 'auto' }, verbose: { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.task === !values.data) throw new UsageError('remedies needs exactly one of --task <name> or --data <file>');
  const name = values.name ?? `remedies-${values.task ?? path.parse(values.data!).name}-${runStamp()}`;
  const nameError = checkRemediesName(name);
  if (nameError) throw new UsageError(`--name: ${nameError}`);
  const positive = (flag: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} must be a whole number of at least 1 (got "${value}")`);
    return n;
  };
  const epochs = positive('epochs', values.epochs);
  const rlEpochs = positive('rl-epochs', values['rl-epochs']);
  const base = buildConfig(values.preset, values.config, values.set ?? []);
  if (epochs !== undefined) base.epochs = epochs;
  const runsDir = path.resolve(values.out!);
  const isCancelled = cancelOnSignal('stopping the comparison: saving the running remedy\'s checkpoint');
  const backend = await initBackend(checkBackend(values.backend!));
  const printers = new Map<string, (event: ProgressEvent) => void>();
  const summary = await compareRemedies({
    runsDir, name, data: values.task ? { task: values.task } : { dataPath: path.resolve(values.data!) }, base,
    rl: rlEpochs !== undefined ? { epochs: rlEpochs } : undefined, backend, isCancelled,
    onStart: (remedy, runDir) => {
      printers.set(remedy, progressPrinter());
      process.stderr.write(`\n== ${REMEDY_LABELS[remedy]}: ${runDir}\n`);
    },
    onProgress: (remedy, event) => printers.get(remedy)?.(event),
  });
  process.stderr.write(`\nbest validation checkpoint of each remedy (exposure gap = free-running − teacher-forced loss):\n`);
  for (const line of describeRemedies(summary.rows)) process.stderr.write(line + '\n');
  out({ remedies: path.join(runsDir, remediesFile(name)), ...summary });
}

function checkBackend(name: string): BackendName {
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(name)) throw new UsageError(`--backend must be auto, tensorflow, wasm or cpu (got "${name}")`);
  return name as BackendName;
}

async function commandTranslate(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      model: { type: 'string' }, beam: { type: 'string' }, 'length-penalty': { type: 'string' }, 'max-length': { type: 'string' },
      sample: { type: 'string' }, temperature: { type: 'string' }, 'top-k': { type: 'string' }, seed: { type: 'string' },
      backend: { type: 'string', default: 'auto' }, verbose: { type: 'boolean' },
    },
  });
  if (!values.model) throw new UsageError('translate needs --model <run dir>');
  const number = (name: string, value: string | undefined, min: number, max: number, integer: boolean): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) throw new UsageError(`--${name} must be a ${integer ? 'whole ' : ''}number from ${min} to ${max}`);
    return n;
  };
  const samples = number('sample', values.sample, 1, 1000, true);
  const sampling = samples === undefined ? undefined : {
    samples,
    temperature: number('temperature', values.temperature, 0.01, 100, false) ?? 1,
    topK: number('top-k', values['top-k'], 0, 100000, true) ?? 0,
    seed: number('seed', values.seed, 0, 2 ** 31, true) ?? 1,
  };
  if (samples === undefined && (values.temperature !== undefined || values['top-k'] !== undefined)) throw new UsageError('--temperature and --top-k apply to sampling: add --sample N');
  if (positionals.length === 0) throw new UsageError('translate needs the text to translate');
  const beamSize = values.beam === undefined ? undefined : Number(values.beam);
  if (beamSize !== undefined && !(Number.isInteger(beamSize) && beamSize >= 1 && beamSize <= 64)) throw new UsageError('--beam must be a whole number from 1 to 64');
  const backend = await initBackend(checkBackend(values.backend!));
  const context = loadRunModel(path.resolve(values.model));
  const translations = translateLines(context, positionals, {
    beamSize, sampling,
    lengthPenalty: number('length-penalty', values['length-penalty'], 0, 5, false),
    maxLength: number('max-length', values['max-length'], 1, 1000, true),
  });
  for (const t of translations.slice(0, -1)) out({ backend, ...t });
  out({ backend, ...translations[translations.length - 1] });
}

async function commandEval(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { model: { type: 'string' }, data: { type: 'string' }, beam: { type: 'string' }, backend: { type: 'string', default: 'auto' }, verbose: { type: 'boolean' } },
  });
  if (!values.model) throw new UsageError('eval needs --model <run dir>');
  const beamSize = values.beam === undefined ? undefined : Number(values.beam);
  if (beamSize !== undefined && !(Number.isInteger(beamSize) && beamSize >= 1 && beamSize <= 64)) throw new UsageError('--beam must be a whole number from 1 to 64');
  const backend = await initBackend(checkBackend(values.backend!));
  const runDir = path.resolve(values.model);
  const context = loadRunModel(runDir);
  if (values.data) {
    const { pairs, metrics, signatures } = evaluateFile(context, path.resolve(values.data), beamSize);
    out({ backend, data: path.resolve(values.data), pairs, ...metrics, signatures });
  } else {
    // The run's own test split, rebuilt from its seed.
    const saved = new RunDirectory(runDir).readConfig();
    const prepared = prepareData(saved.data, context.config, { source: context.sourceVocab, target: context.targetVocab, tokenizers: { source: context.sourceTokenizer, target: context.targetTokenizer } });
    const { metrics, signatures } = evaluatePairs(context, prepared.test, beamSize ?? context.config.beamSize);
    out({ backend, data: 'test split', pairs: prepared.test.length, ...metrics, signatures });
  }
}

/** The dataset card: human-readable lines on stderr, the card as the last stdout line. */
function commandInspect(args: string[]): void {
  const { values } = parseArgs({
    args,
    options: { data: { type: 'string' }, task: { type: 'string' }, config: { type: 'string' }, preset: { type: 'string' }, set: { type: 'string', multiple: true }, verbose: { type: 'boolean' } },
    strict: true,
  });
  if (!values.task === !values.data) throw new UsageError('inspect needs exactly one of --data <file> or --task <name>');
  const config = buildConfig(values.preset, values.config, values.set ?? []);
  let card;
  try {
    card = inspectData(values.data ? { dataPath: path.resolve(values.data) } : { task: values.task! }, config);
  } catch (error) {
    if (error instanceof InspectConfigError) throw new UsageError(error.message);
    throw error;
  }
  for (const line of describeCard(card)) process.stderr.write(line + '\n');
  out(card);
}

function commandTasks(): void {
  const tasks = listTasks();
  for (const task of tasks) process.stderr.write(`${task.name.padEnd(10)} ${task.shape.padEnd(8)} ${String(task.available).padStart(7)} pairs  ${task.description}\n`);
  out({ tasks });
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const verbose = rest.includes('--verbose');
  try {
    switch (command) {
      case 'train': await commandTrain(rest); break;
      case 'translate': await commandTranslate(rest); break;
      case 'eval': await commandEval(rest); break;
      case 'inspect': commandInspect(rest); break;
      case 'sweep': await commandSweep(rest); break;
      case 'remedies': await commandRemedies(rest); break;
      case 'tasks': commandTasks(); break;
      case undefined: case 'help': case '--help': case '-h':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      case '--version':
        process.stdout.write(ENGINE_VERSION + '\n');
        return 0;
      default:
        throw new UsageError(`unknown command "${command}" (train, sweep, remedies, translate, eval, inspect, tasks)`);
    }
    return 0;
  } catch (error) {
    const err = error as Error;
    const message = (err.message || String(err)).split('\n')[0];
    process.stderr.write(`seq2seq-lab: error: ${message}\n`);
    if (verbose && err.stack) process.stderr.write(err.stack + '\n');
    return error instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(code => {
    process.exitCode = code;
  });
}

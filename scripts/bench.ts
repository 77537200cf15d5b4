/**
 * Training-speed benchmark: `npm run bench -- --config B1|B2 [--backend auto|wasm|cpu] [--steps N]`.
 * `--workers N` trains data-parallel over the main thread and N − 1 worker threads (train/parallel.ts);
 * the default `auto` is what training uses by default (config `workers` 0: 2 on WASM with 2+ cores).
 * Prints one JSON line: config, backend, targetTokensPerSecond, stepsPerSecond, peakRssMb (the
 * process's maximum resident set, as the peer's ru_maxrss), and — when /usr/bin/python3 can import
 * torch — the PyTorch peer's figures (`../shared/bench/torch_seq2seq_peer.py`, `--peer PATH`) for
 * 1 and 2 threads measured right after, in the same run, with the ratios to its best setting.
 * Without the peer the ratios are null and `peer` says why; `--peer none` skips it.
 *
 * B1: vocab 40/40, embedding 128, 1-layer bidirectional LSTM encoder 256 per direction,
 *     1-layer LSTM decoder 256 with a tanh(linear) bridge, additive attention, attentional
 *     vector tanh(linear) to 256; batch 64, source 20, target 12.
 * B2: vocab 8000/8000, embedding 256, 2-layer bidirectional encoder 256 per direction, 2-layer decoder 512, target 20
 *     (the peer's model: `encoderHiddenSize` 256, so the encoder's states are 512 wide as the decoder's).
 * Random ids, teacher forcing, Adam 1e-3, clipping 5.0, ~10 % of rows padded to half length.
 *
 * Then, on the trained model: greedy decoding of 64 sources of 20 tokens and beam search
 * (width 5) of one 20-token source, each to 20 output tokens (`minLength` 20: the briefly
 * trained model would end most outputs after a token or two, and the per-token figure would
 * be the encoder's time), repeated (`--decode-runs`, default 5) and reported as the median in
 * ms (`greedy64x20Ms`, `beam5Ms`) and per output token.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import { initBackend, matMulKernel, wasmThreads } from '../src/engine/backend';
import { Seq2SeqModel } from '../src/engine/model/seq2seq';
import { disposeBatch, EncodedPair, makeBatch, targetTokenCount } from '../src/engine/model/batch';
import { Optimizer } from '../src/engine/train/optimizer';
import { trainStep } from '../src/engine/train/step';
import { DataParallel, resolveWorkers, useTrainingThreads } from '../src/engine/train/parallel';
import { beamSearch, greedyDecode } from '../src/engine/decode/decode';
import { DEFAULT_CONFIG, Seq2SeqConfig, BackendName } from '../src/shared/config';

const CONFIGS: Record<string, { vocab: number; source: number; target: number; batch: number; model: Partial<Seq2SeqConfig> }> = {
  B1: { vocab: 40, source: 20, target: 12, batch: 64, model: { embeddingSize: 128, hiddenSize: 256, attentionSize: 256, encoderLayers: 1, decoderLayers: 1 } },
  B2: { vocab: 8000, source: 20, target: 20, batch: 64, model: { embeddingSize: 256, hiddenSize: 512, encoderHiddenSize: 256, attentionSize: 512, encoderLayers: 2, decoderLayers: 2 } },
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', default: 'B1' }, backend: { type: 'string', default: 'auto' }, workers: { type: 'string', default: 'auto' }, steps: { type: 'string' }, 'decode-runs': { type: 'string' }, peer: { type: 'string', default: path.join(__dirname, '../../shared/bench/torch_seq2seq_peer.py') }, 'peer-steps': { type: 'string' }, profile: { type: 'boolean', default: false }, 'wasm-threads': { type: 'string', default: '1' }, 'peer-threads': { type: 'string', default: '1,2' } } });
  const spec = CONFIGS[values.config!];
  if (!spec) throw new Error(`--config must be ${Object.keys(CONFIGS).join(' or ')}`);
  const backend = await initBackend(values.backend as BackendName, { wasmThreads: Number(values['wasm-threads']) });
  const config: Seq2SeqConfig = {
    ...DEFAULT_CONFIG, ...spec.model,
    cell: 'lstm', bidirectional: true, attention: 'additive', bridge: 'dense', residual: 'none', inputFeeding: false, dropout: 0, copyPrior: false,
    optimizer: 'adam', learningRate: 1e-3, clipNorm: 5,
  };
  const model = new Seq2SeqModel(config, { sourceVocabSize: spec.vocab, targetVocabSize: spec.vocab });
  const optimizer = new Optimizer('adam', model.params);
  const rng = seedrandom('bench');
  const randomIds = (n: number) => Array.from({ length: n }, () => 4 + Math.floor(rng() * (spec.vocab - 4)));
  const makePairs = (): EncodedPair[] => Array.from({ length: spec.batch }, () => {
    const half = rng() < 0.1; // ~10 % of rows padded to half length
    return { source: randomIds(half ? spec.source / 2 : spec.source), target: randomIds((half ? spec.target / 2 : spec.target) - 1) };
  });
  if (values.profile) return profileStep(model, optimizer, makePairs);
  const workers = values.workers === 'auto' ? resolveWorkers(0, backend, undefined, { hiddenSize: config.hiddenSize, targetVocabSize: spec.vocab }) : Number(values.workers);
  if (!(workers >= 1 && workers <= 8 && Number.isInteger(workers))) throw new Error('--workers must be auto or a whole number from 1 to 8');
  useTrainingThreads(workers); // as training does (trainer.ts)
  const parallel = workers > 1 ? await DataParallel.start(model, workers) : undefined;
  const steps = Number(values.steps ?? (backend === 'cpu' ? 3 : values.config === 'B2' ? 5 : 20));
  const warmup = 2;
  let tokens = 0;
  let seconds = 0;
  let rssAfterWarmup = 0;
  const stepRates: number[] = []; // tokens/s of each timed step: its median resists load spikes from other processes
  for (let i = 0; i < warmup + steps; i++) {
    const pairs = makePairs();
    const started = process.hrtime.bigint();
    if (parallel) {
      await parallel.step(model, optimizer, pairs, {}, { training: true, teacherForcing: 1, randomSeed: `bench:${i}`, labelSmoothing: 0, learningRate: 1e-3, clipNorm: 5 });
    } else {
      const batch = makeBatch(pairs);
      trainStep(model, optimizer, batch, { training: true, teacherForcing: 1, random: rng, labelSmoothing: 0, learningRate: 1e-3, clipNorm: 5 });
      disposeBatch(batch);
    }
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    if (i === warmup - 1) rssAfterWarmup = process.memoryUsage().rss;
    if (i >= warmup) {
      seconds += elapsed;
      tokens += targetTokenCount(pairs);
      stepRates.push(targetTokenCount(pairs) / elapsed);
    }
    process.stderr.write(`\rstep ${i + 1}/${warmup + steps}`);
  }
  process.stderr.write('\n');
  const rssEnd = process.memoryUsage().rss;
  await parallel?.dispose();
  const targetTokensPerSecond = tokens / seconds;

  // Decoding (no tape): greedy 64 × 20 and beam 5 of one 20-token sentence; medians.
  const decodeRuns = Number(values['decode-runs'] ?? 5);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const timeMs = (fn: () => void): number => {
    const started = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const sources = Array.from({ length: 64 }, () => randomIds(spec.source));
  let greedySteps = 0;
  const greedyMs: number[] = [];
  const beamMs: number[] = [];
  const beamPerToken: number[] = []; // ms per decoding step (output token) of each run
  const beamSteps: number[] = [];
  for (let i = 0; i < decodeRuns + 1; i++) { // the first run warms up
    const g = timeMs(() => {
      const out = greedyDecode({ model }, sources, 20, 20);
      greedySteps = Math.max(...out.map(h => h.ids.length + (h.finished ? 1 : 0)));
    });
    let beamLength = 0;
    const b = timeMs(() => {
      const out = beamSearch({ model }, sources[i % sources.length], { beamSize: 5, lengthPenalty: 0, maxLength: 20, minLength: 20 });
      beamLength = Math.max(...out.map(h => h.ids.length + (h.finished ? 1 : 0)));
    });
    if (i > 0) {
      greedyMs.push(g);
      beamMs.push(b);
      beamPerToken.push(b / beamLength);
      beamSteps.push(beamLength);
    }
  }
  const engine = {
    config: values.config, backend, workers, wasmThreads: wasmThreads(), matMul: matMulKernel().kernel, targetTokensPerSecond: Math.round(targetTokensPerSecond), medianStepTokensPerSecond: Math.round(median(stepRates)), stepsPerSecond: +(steps / seconds).toFixed(3),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), rssAfterWarmupMb: Math.round(rssAfterWarmup / 2 ** 20), rssEndMb: Math.round(rssEnd / 2 ** 20),
    steps, parameters: model.params.count(),
    greedy64x20Ms: Math.round(median(greedyMs)), greedySteps, greedyMsPerToken: +(median(greedyMs) / greedySteps).toFixed(1),
    beam5Ms: Math.round(median(beamMs)), beamSteps: median(beamSteps), beamMsPerToken: +median(beamPerToken).toFixed(1), decodeRuns,
    tensorsAfter: tf.memory().numTensors,
  };
  const peer = values.peer === 'none' ? { available: false, reason: 'skipped (--peer none)' } : runPeer(values.config!, values.peer!, Number(values['peer-steps'] ?? (values.config === 'B2' ? 8 : 15)), values['peer-threads']!.split(',').map(Number));
  const best = peer.runs?.reduce((a, b) => (b.target_tokens_per_s > a.target_tokens_per_s ? b : a));
  console.log(JSON.stringify({
    ...engine,
    peer: peer.available ? { torch: peer.runs![0].torch, runs: peer.runs!.map(r => ({ threads: r.threads, targetTokensPerSecond: r.target_tokens_per_s, peakRssMb: r.peak_rss_mb })) } : { missing: peer.reason },
    ratioToPytorch: best ? +(targetTokensPerSecond / best.target_tokens_per_s).toFixed(3) : null,
    rssRatioToPytorch: best ? +(engine.peakRssMb / Math.max(...peer.runs!.map(r => r.peak_rss_mb))).toFixed(2) : null,
  }));
  process.stderr.write(best
    ? `${values.config}: engine ${engine.targetTokensPerSecond} target tok/s, PyTorch best ${best.target_tokens_per_s} (${best.threads} thread${best.threads > 1 ? 's' : ''}) → ${(targetTokensPerSecond / best.target_tokens_per_s).toFixed(2)}×; peak RSS ${engine.peakRssMb} MB vs ${Math.max(...peer.runs!.map(r => r.peak_rss_mb))} MB\n`
    : `${values.config}: engine ${engine.targetTokensPerSecond} target tok/s; PyTorch peer not measured: ${peer.reason}\n`);
}

/**
 * `--profile`: one warm-up step, then tf.profile over one step on this thread (forward,
 * backward and the Adam update); prints the kernels by their share of kernel time to stderr.
 */
async function profileStep(model: Seq2SeqModel, optimizer: Optimizer, makePairs: () => EncodedPair[]): Promise<void> {
  const options = { training: true, teacherForcing: 1, random: Math.random, labelSmoothing: 0, learningRate: 1e-3, clipNorm: 5 };
  const step = () => {
    const batch = makeBatch(makePairs());
    trainStep(model, optimizer, batch, options);
    disposeBatch(batch);
  };
  step();
  const started = process.hrtime.bigint();
  const info = await tf.profile(step);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    if (k.name === 'forward') continue; // a tf.customGrad body: its kernels are listed themselves
    const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    entry.calls++;
    byKernel.set(k.name, entry);
  }
  const total = [...byKernel.values()].reduce((a, b) => a + b.ms, 0);
  const rows = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
  process.stderr.write(`kernel time ${total.toFixed(0)} ms of ${wallMs.toFixed(0)} ms wall (profiled), ${info.kernels.filter(k => k.name !== "forward").length} kernel calls, peak ${Math.round(info.peakBytes / 2 ** 20)} MB of tensors\n`);
  for (const [name, { ms, calls }] of rows.slice(0, 15)) process.stderr.write(`${name.padEnd(22)} ${(100 * ms / total).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${String(calls).padStart(5)} calls\n`);
}

interface PeerRun { threads: number; torch: string; target_tokens_per_s: number; peak_rss_mb: number }

/**
 * Runs the PyTorch peer (same models) with 1 and 2 threads (`--peer-threads`), right after the engine, so that
 * the ratio compares figures measured under the same load. `OPENBLAS_NUM_THREADS` and
 * `OMP_NUM_THREADS` follow `TORCH_THREADS`.
 */
function runPeer(config: string, script: string, steps: number, threadCounts: number[]): { available: boolean; reason?: string; runs?: PeerRun[] } {
  const python = '/usr/bin/python3';
  const file = path.resolve(script);
  if (!fs.existsSync(file)) return { available: false, reason: `peer script ${file} not found (--peer PATH)` };
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { available: false, reason: `${python} cannot import torch (${(probe.error?.message ?? probe.stderr.trim().split('\n').pop()) || 'failed'}); apt-get install python3-torch libopenblas0-pthread` };
  const runs: PeerRun[] = [];
  for (const threads of threadCounts) {
    process.stderr.write(`PyTorch peer, ${threads} thread${threads > 1 ? 's' : ''}, ${steps} steps…\n`);
    const n = String(threads);
    const run = spawnSync(python, [file, config, String(steps)], { encoding: 'utf8', env: { ...process.env, TORCH_THREADS: n, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n } });
    const line = run.stdout?.trim().split('\n').pop() ?? '';
    if (run.status !== 0 || !line.startsWith('{')) return { available: false, reason: `peer failed: ${run.stderr?.trim().split('\n').pop() ?? run.error?.message}` };
    runs.push({ threads, ...JSON.parse(line) });
  }
  return { available: true, runs };
}

main().catch(error => {
  process.stderr.write(`bench: error: ${(error as Error).message}\n`);
  process.exitCode = 1;
});

/**
 * Training-speed benchmark: `npm run bench -- --config B1|B2 [--backend auto|wasm|cpu] [--steps N]`.
 * `--workers N` trains data-parallel over the main thread and N − 1 worker threads (train/parallel.ts);
 * the default `auto` is what training uses by default (config `workers` 0: 2 on WASM with 2+ cores).
 * Prints one JSON line: config, backend, targetTokensPerSecond, stepsPerSecond, peakRssMb, and
 * the ratio to the PyTorch figures measured on this machine kind (see README).
 *
 * B1: vocab 40/40, embedding 128, 1-layer bidirectional LSTM encoder 256 per direction,
 *     1-layer LSTM decoder 256 with a tanh(linear) bridge, additive attention, attentional
 *     vector tanh(linear) to 256; batch 64, source 20, target 12.
 * B2: vocab 8000/8000, embedding 256, 2-layer encoder, 2-layer decoder 512, target 20.
 * Random ids, teacher forcing, Adam 1e-3, clipping 5.0, ~10 % of rows padded to half length.
 *
 * Then, on the trained model: greedy decoding of 64 sources of 20 tokens (up to 20 output
 * tokens) and beam search (width 5, up to 20 tokens) of one 20-token source, each repeated
 * (`--decode-runs`, default 5) and reported as the median in ms (`greedy64x20Ms`, `beam5Ms`).
 */
import { parseArgs } from 'util';
import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import { initBackend } from '../src/engine/backend';
import { Seq2SeqModel } from '../src/engine/model/seq2seq';
import { disposeBatch, EncodedPair, makeBatch, targetTokenCount } from '../src/engine/model/batch';
import { Optimizer } from '../src/engine/train/optimizer';
import { trainStep } from '../src/engine/train/step';
import { DataParallel, resolveWorkers } from '../src/engine/train/parallel';
import { beamSearch, greedyDecode } from '../src/engine/decode/decode';
import { DEFAULT_CONFIG, Seq2SeqConfig, BackendName } from '../src/shared/config';

const CONFIGS: Record<string, { vocab: number; source: number; target: number; batch: number; model: Partial<Seq2SeqConfig>; pytorch: number }> = {
  B1: { vocab: 40, source: 20, target: 12, batch: 64, pytorch: 4700, model: { embeddingSize: 128, hiddenSize: 256, attentionSize: 256, encoderLayers: 1, decoderLayers: 1 } },
  B2: { vocab: 8000, source: 20, target: 20, batch: 64, pytorch: 940, model: { embeddingSize: 256, hiddenSize: 512, attentionSize: 512, encoderLayers: 2, decoderLayers: 2 } },
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string', default: 'B1' }, backend: { type: 'string', default: 'auto' }, workers: { type: 'string', default: 'auto' }, steps: { type: 'string' }, 'decode-runs': { type: 'string' } } });
  const spec = CONFIGS[values.config!];
  if (!spec) throw new Error(`--config must be ${Object.keys(CONFIGS).join(' or ')}`);
  const backend = await initBackend(values.backend as BackendName);
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
  const workers = values.workers === 'auto' ? resolveWorkers(0) : Number(values.workers);
  if (!(workers >= 1 && workers <= 8 && Number.isInteger(workers))) throw new Error('--workers must be auto or a whole number from 1 to 8');
  const parallel = workers > 1 ? await DataParallel.start(model, workers) : undefined;
  const steps = Number(values.steps ?? (backend === 'cpu' ? 3 : values.config === 'B2' ? 5 : 20));
  const warmup = 2;
  let tokens = 0;
  let seconds = 0;
  let peakRss = 0;
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
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (i >= warmup) {
      seconds += elapsed;
      tokens += targetTokenCount(pairs);
      stepRates.push(targetTokenCount(pairs) / elapsed);
    }
    process.stderr.write(`\rstep ${i + 1}/${warmup + steps}`);
  }
  process.stderr.write('\n');
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
  for (let i = 0; i < decodeRuns + 1; i++) { // the first run warms up
    const g = timeMs(() => {
      const out = greedyDecode({ model }, sources, 20);
      greedySteps = Math.max(...out.map(h => h.ids.length + (h.finished ? 1 : 0)));
    });
    const b = timeMs(() => beamSearch({ model }, sources[i % sources.length], { beamSize: 5, lengthPenalty: 0, maxLength: 20 }));
    if (i > 0) {
      greedyMs.push(g);
      beamMs.push(b);
    }
  }
  console.log(JSON.stringify({
    config: values.config, backend, workers, targetTokensPerSecond: Math.round(targetTokensPerSecond), medianStepTokensPerSecond: Math.round([...stepRates].sort((a, b) => a - b)[Math.floor(stepRates.length / 2)]), stepsPerSecond: +(steps / seconds).toFixed(3),
    peakRssMb: Math.round(peakRss / 2 ** 20), steps, parameters: model.params.count(), pytorchTokensPerSecond: spec.pytorch,
    ratioToPytorch: +(targetTokensPerSecond / spec.pytorch).toFixed(3),
    greedy64x20Ms: Math.round(median(greedyMs)), greedySteps, beam5Ms: Math.round(median(beamMs)), decodeRuns,
    tensorsAfter: tf.memory().numTensors,
  }));
}

main().catch(error => {
  process.stderr.write(`bench: error: ${(error as Error).message}\n`);
  process.exitCode = 1;
});

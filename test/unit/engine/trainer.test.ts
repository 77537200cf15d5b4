import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { trainRun } from '../../../src/engine/train/trainer';
import { loadCheckpoint, saveCheckpoint } from '../../../src/engine/train/checkpoint';
import { RunDirectory } from '../../../src/engine/train/runDir';
import { DivergedError } from '../../../src/engine/train/step';
import { loadRunModel, releaseModel, translateLines } from '../../../src/engine/inference';
import type { ProgressEvent } from '../../../src/shared/protocol';
import type { Seq2SeqConfig } from '../../../src/shared/config';
import { useTestBackend } from './helpers';

const SMALL: Partial<Seq2SeqConfig> = {
  taskSize: 240, embeddingSize: 8, hiddenSize: 12, batchSize: 16, epochs: 2, evalSamples: 8, patience: 0,
  maxDecodeLength: 16, validFraction: 0.1, testFraction: 0.1,
};

describe('trainer', function () {
  this.timeout(300_000);
  let backend: string;
  let root: string;
  before(async () => {
    backend = await useTestBackend();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-train-'));
  });
  after(() => {
    releaseModel();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('resuming a stopped run equals training without interruption', async () => {
    const config = { ...SMALL, dropout: 0.1, scheduledSampling: 'linear' as const, samplingDecay: 20, samplingFloor: 0.5 };
    const whole = path.join(root, 'whole');
    const split = path.join(root, 'split');
    const wholeResult = await trainRun({ runDir: whole, data: { task: 'reverse' }, config, backend });
    // Stop after 7 steps (mid-epoch), then resume in a second "session".
    const first = await trainRun({ runDir: split, data: { task: 'reverse' }, config, backend, stopAfterSteps: 7 });
    assert.equal(first.state, 'cancelled');
    assert.equal(new RunDirectory(split).readManifest().state, 'cancelled');
    const resumed = await trainRun({ runDir: split, resume: true, backend });
    assert.equal(resumed.steps, wholeResult.steps);
    const a = loadCheckpoint(path.join(whole, 'checkpoints', 'last.ckpt'));
    const b = loadCheckpoint(path.join(split, 'checkpoints', 'last.ckpt'));
    let maxDifference = 0;
    for (const [name, tensor] of a.tensors) {
      const other = b.tensors.get(name)!;
      const x = tensor.dataSync();
      const y = other.dataSync();
      for (let i = 0; i < x.length; i++) maxDifference = Math.max(maxDifference, Math.abs(x[i] - y[i]));
    }
    [...a.tensors.values(), ...b.tensors.values()].forEach(t => t.dispose());
    assert.ok(maxDifference < 1e-5, `parameters differ by ${maxDifference}`);
    assert.ok(Math.abs(resumed.metrics.loss - wholeResult.metrics.loss) < 1e-4);
    // Metrics lines continue without duplicates: one per epoch evaluation plus the test line.
    const steps = new RunDirectory(split).readMetrics().filter(r => r.split === 'valid').map(r => r.step);
    assert.deepEqual(steps, new RunDirectory(whole).readMetrics().filter(r => r.split === 'valid').map(r => r.step));
  });

  it('reports progress, writes the run directory contract, and translates with attention of the right shape', async () => {
    const dir = path.join(root, 'contract');
    const events: ProgressEvent[] = [];
    const result = await trainRun({ runDir: dir, data: { task: 'reverse' }, config: { ...SMALL, epochs: 1 }, backend, onProgress: e => events.push(e) });
    assert.equal(result.state, 'completed');
    assert.equal(result.backend, backend);
    for (const key of ['exactMatch', 'bleu', 'chrf', 'tokenAccuracy', 'perplexity'] as const) assert.equal(typeof result.metrics[key], 'number');
    assert.ok(result.targetTokensPerSecond > 0);
    const kinds = new Set(events.map(e => e.kind));
    for (const kind of ['start', 'step', 'eval', 'checkpoint']) assert.ok(kinds.has(kind as ProgressEvent['kind']), `no ${kind} event`);
    const evalEvent = events.find(e => e.kind === 'eval') as Extract<ProgressEvent, { kind: 'eval' }>;
    assert.equal(evalEvent.sample.attention.length, evalEvent.sample.tokens.length);
    for (const file of ['config.json', 'manifest.json', 'metrics.jsonl', 'vocab.source.json', 'vocab.target.json', 'result.json', 'checkpoints/last.ckpt', 'checkpoints/best.ckpt']) {
      assert.ok(fs.existsSync(path.join(dir, file)), `${file} missing`);
    }
    assert.equal(new RunDirectory(dir).readManifest().state, 'completed');
    // Every evaluation line also scores the references free-running (exposure bias).
    for (const line of new RunDirectory(dir).readMetrics()) {
      for (const key of ['teacherForcedAccuracy', 'freeRunLoss', 'freeRunAccuracy', 'exposureGap']) assert.ok(Number.isFinite(line[key] as number), `${String(line.split)} ${key}`);
      assert.ok(Math.abs((line.exposureGap as number) - ((line.freeRunLoss as number) - (line.loss as number))) < 1e-9);
    }
    const [translation] = translateLines(loadRunModel(dir), ['abcde'], { beamSize: 3 });
    assert.equal(translation.attention.length, translation.tokens.length);
    for (const row of translation.attention) assert.equal(row.length, translation.sourceTokens.length);
    assert.ok(translation.candidates.length >= 1 && translation.candidates.length <= 3);
  });

  it('a NaN loss stops the run with a message and overwrites no checkpoint', async () => {
    const dir = path.join(root, 'nan');
    await trainRun({ runDir: dir, data: { task: 'reverse' }, config: { ...SMALL, epochs: 1 }, backend });
    const run = new RunDirectory(dir);
    const saved = run.readConfig();
    run.writeJson(run.configFile, { ...saved, config: { ...saved.config, epochs: 3 } });
    // A diverged model: one output bias is +Inf, so the next loss is NaN.
    const last = path.join(dir, 'checkpoints', 'last.ckpt');
    const checkpoint = loadCheckpoint(last);
    const bias = checkpoint.tensors.get('param:output/b')!;
    const broken = tf.tensor1d(Array.from(bias.dataSync(), (v, i) => (i === 5 ? Infinity : v)));
    checkpoint.tensors.set('param:output/b', broken);
    saveCheckpoint(last, [...checkpoint.tensors.entries()], checkpoint.state);
    checkpoint.tensors.forEach(t => t.dispose());
    bias.dispose();
    const lastBefore = fs.readFileSync(last);
    const bestBefore = fs.readFileSync(path.join(dir, 'checkpoints', 'best.ckpt'));
    await assert.rejects(trainRun({ runDir: dir, resume: true, backend }), (error: unknown) => error instanceof DivergedError && /loss became NaN/.test((error as Error).message));
    const manifest = run.readManifest();
    assert.equal(manifest.state, 'failed');
    assert.match(manifest.error ?? '', /loss became NaN/);
    assert.deepEqual(fs.readFileSync(last), lastBefore);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'checkpoints', 'best.ckpt')), bestBefore);
  });

  it('cancellation saves a checkpoint first and marks the run cancelled', async () => {
    const dir = path.join(root, 'cancel');
    let steps = 0;
    const result = await trainRun({
      runDir: dir, data: { task: 'reverse' }, config: SMALL, backend,
      onProgress: e => { if (e.kind === 'step') steps = e.step; },
      isCancelled: () => steps >= 3,
    });
    assert.equal(result.state, 'cancelled');
    const checkpoint = loadCheckpoint(path.join(dir, 'checkpoints', 'last.ckpt'));
    assert.ok(checkpoint.state.step >= 3);
    checkpoint.tensors.forEach(t => t.dispose());
  });

  it('tensor count stays flat across training steps', async () => {
    const before = tf.memory().numTensors;
    await trainRun({ runDir: path.join(root, 'flat'), data: { task: 'reverse' }, config: { ...SMALL, epochs: 1 }, backend });
    assert.equal(tf.memory().numTensors, before);
  });

  it('rejects an invalid configuration with the field named', async () => {
    await assert.rejects(trainRun({ runDir: path.join(root, 'bad'), data: { task: 'reverse' }, config: { hiddenSize: -3 } as Partial<Seq2SeqConfig>, backend }), /hiddenSize must be between/);
    await assert.rejects(trainRun({ runDir: path.join(root, 'bad2'), data: { task: 'reverse' }, config: { hiddenSise: 3 } as unknown as Partial<Seq2SeqConfig>, backend }), /unknown setting "hiddenSise"/);
  });
});

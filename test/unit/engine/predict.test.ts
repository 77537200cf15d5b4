/**
 * PredictRequest against the engine directly: a tiny trained run in a temp dir, its validation
 * and test splits predicted with the best and the last checkpoint. The split must be the one
 * training used (same pairs, same order), progress must count up, cancellation must stop it,
 * and the params validator must refuse what the protocol does not allow.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ResponseError } from 'vscode-jsonrpc';
import { toResponseError, validatePredictParams } from '../../../src/engine/main';
import { releaseModel } from '../../../src/engine/inference';
import { readCheckpointState } from '../../../src/engine/train/checkpoint';
import { prepareData } from '../../../src/engine/train/dataset';
import { PredictCancelledError, predictSplit } from '../../../src/engine/train/predict';
import { RunDirectory } from '../../../src/engine/train/runDir';
import { trainRun } from '../../../src/engine/train/trainer';
import { EngineErrorCode } from '../../../src/shared/protocol';
import type { Seq2SeqConfig } from '../../../src/shared/config';
import { useTestBackend } from './helpers';

const TINY: Partial<Seq2SeqConfig> = {
  taskSize: 400, embeddingSize: 8, hiddenSize: 16, batchSize: 32, epochs: 2, evalEverySteps: 5, evalSamples: 0, patience: 0,
  validFraction: 0.2, testFraction: 0.1, seed: 7,
};

describe('engine: predict a run\'s split', function () {
  this.timeout(300_000);
  let root: string;
  let runDir: string;

  before(async () => {
    const backend = await useTestBackend();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-predict-'));
    runDir = path.join(root, 'run');
    await trainRun({ runDir, data: { task: 'dates' }, config: TINY, backend });
  });
  after(() => {
    releaseModel();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('predicts every validation pair of the training split, in order, with a probability per token', async () => {
    const progress: Array<[number, number]> = [];
    const result = await predictSplit(runDir, { split: 'valid', checkpoint: 'best' }, { onProgress: (done, total) => progress.push([done, total]) });
    const run = new RunDirectory(runDir);
    const saved = run.readConfig();
    const vocab = run.loadVocabularies(saved.config.lowercase);
    const prepared = prepareData(saved.data, saved.config, vocab);
    assert.equal(result.samples.length, prepared.valid.length);
    assert.equal(result.samples.length, 80, '20 % of 400 pairs');
    result.samples.forEach((sample, i) => {
      assert.equal(sample.index, i);
      assert.equal(sample.source, prepared.valid[i].sourceText);
      assert.deepEqual(sample.referenceTokens, prepared.valid[i].targetTokens);
      assert.equal(sample.reference, prepared.valid[i].reference);
      assert.equal(sample.probabilities.length, sample.predictionTokens.length);
      assert.ok(sample.probabilities.every(p => p >= 0 && p <= 1));
      assert.equal(sample.prediction, sample.predictionTokens.join(''), 'dates targets are character-tokenized');
    });
    assert.equal(result.joiner, '');
    assert.equal(result.checkpoint, 'best');
    assert.equal(result.step, readCheckpointState(run.bestCheckpoint).step);
    assert.deepEqual(progress[0], [0, 80]);
    assert.deepEqual(progress[progress.length - 1], [80, 80]);
    assert.ok(progress.length >= 3, 'one progress report per batch of 64');
  });

  it('uses the last checkpoint on request, the test split, and a limit', async () => {
    const last = await predictSplit(runDir, { split: 'test', checkpoint: 'last', limit: 10 });
    assert.equal(last.checkpoint, 'last');
    assert.equal(last.split, 'test');
    assert.equal(last.samples.length, 10);
    assert.equal(last.step, readCheckpointState(new RunDirectory(runDir).lastCheckpoint).step);
    assert.equal(last.step, 18, '2 epochs of ceil(280 / 32) = 9 steps');
  });

  it('stops when cancelled, and the error maps to RequestCancelled', async () => {
    await assert.rejects(predictSplit(runDir, {}, { isCancelled: () => true }), PredictCancelledError);
    const mapped = toResponseError(new PredictCancelledError());
    assert.equal(mapped.code, -32800);
  });

  it('a run without a checkpoint is NotFound', async () => {
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    fs.copyFileSync(path.join(runDir, 'config.json'), path.join(empty, 'config.json'));
    await assert.rejects(predictSplit(empty, {}), (e: Error) => toResponseError(e).code === EngineErrorCode.NotFound);
  });

  it('validates params', () => {
    assert.deepEqual(validatePredictParams({ runDir: '/r', split: 'test', checkpoint: 'last', beamSize: 2, limit: 5, progressId: 'p1' }), { runDir: '/r', split: 'test', checkpoint: 'last', beamSize: 2, limit: 5, progressId: 'p1' });
    const bad: unknown[] = [
      null, [], 'x', {}, { runDir: '' }, { runDir: 3 }, { runDir: '/r', split: 'train' }, { runDir: '/r', checkpoint: 'first' },
      { runDir: '/r', beamSize: 0 }, { runDir: '/r', beamSize: 1.5 }, { runDir: '/r', limit: 0 }, { runDir: '/r', progressId: '' }, { runDir: '/r', extra: 1 },
    ];
    for (const params of bad) {
      assert.throws(() => validatePredictParams(params), (e: unknown) => e instanceof ResponseError && e.code === EngineErrorCode.InvalidParams, JSON.stringify(params));
    }
  });
});

/**
 * The other RNN shapes (seed 002; shapes.ts): classify, tag and generate learn their built-in
 * tasks, their options change what they compute, bad tag data is refused with line numbers,
 * and a classify run translates, evaluates and resumes. Measured values are printed
 * (`shapes …`) to recalibrate the bars; the README's "Shapes" section quotes them.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { Seq2SeqModel } from '../../../src/engine/model/seq2seq';
import { sourceTensors } from '../../../src/engine/model/batch';
import { evaluateFile, loadRunModel, releaseModel, translateLines } from '../../../src/engine/inference';
import { evaluatePairs } from '../../../src/engine/train/evaluate';
import { prepareData } from '../../../src/engine/train/dataset';
import { predictSplit } from '../../../src/engine/train/predict';
import { RunDirectory } from '../../../src/engine/train/runDir';
import { trainRun } from '../../../src/engine/train/trainer';
import type { PoolingType } from '../../../src/shared/config';
import type { TrainResult } from '../../../src/shared/protocol';
import { tinyConfig, useTestBackend } from './helpers';

function majorityShare(labels: string[]): number {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return Math.max(...counts.values()) / labels.length;
}

describe('RNN shapes', function () {
  this.timeout(600_000);
  let backend: string;
  let root: string;
  before(async () => {
    backend = await useTestBackend();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-shapes-'));
  });
  after(() => {
    releaseModel();
    fs.rmSync(root, { recursive: true, force: true });
  });

  describe('classify', () => {
    let dir: string;
    let result: TrainResult;
    before(async () => {
      dir = path.join(root, 'syllables');
      // The default configuration; only the slice and a fixed number of epochs are set.
      result = await trainRun({ runDir: dir, data: { task: 'syllables' }, config: { taskSize: 1500, epochs: 3 }, backend });
    });

    it('learns syllable counts with the default configuration (well above the majority label)', () => {
      const saved = new RunDirectory(dir).readConfig();
      assert.equal(saved.config.shape, 'classify', 'auto took the task\'s shape');
      assert.equal(saved.shape, 'classify');
      assert.equal(result.shape, 'classify');
      const prepared = prepareData({ task: 'syllables' }, saved.config);
      const majority = majorityShare(prepared.test.map(p => p.reference));
      console.log(`      shapes classify: test accuracy ${result.metrics.exactMatch.toFixed(3)}, macro-F1 ${result.metrics.macroF1.toFixed(3)}, majority label ${majority.toFixed(3)}, ${result.steps} steps, ${result.seconds.toFixed(0)} s`);
      assert.ok(result.metrics.exactMatch >= majority + 0.15, `accuracy ${result.metrics.exactMatch} vs majority ${majority}`);
      assert.ok(result.metrics.macroF1 > 0.3, `macro-F1 ${result.metrics.macroF1}`);
      assert.ok(Number.isNaN(result.metrics.freeRunLoss), 'no decoder, no free-running score');
    });

    it('writes confusion matrices (rows reference, columns predicted) into metrics.jsonl and the result', () => {
      const lines = new RunDirectory(dir).readMetrics();
      const valid = lines.filter(l => l.split === 'valid');
      const test = lines.find(l => l.split === 'test')!;
      assert.ok(valid.length >= 3 && valid.every(l => l.confusion));
      const confusion = test.confusion as { labels: string[]; counts: number[][] };
      const total = confusion.counts.flat().reduce((a, b) => a + b, 0);
      const diagonal = confusion.counts.reduce((sum, row, i) => sum + row[i], 0);
      assert.ok(Math.abs(diagonal / total - result.metrics.exactMatch) < 1e-9, 'the diagonal is the accuracy');
      assert.deepEqual(result.confusion, confusion);
    });

    it('evaluates and predicts without leaking tensors', () => {
      const context = loadRunModel(dir);
      const prepared = prepareData({ task: 'syllables' }, context.config, { source: context.sourceVocab, target: context.targetVocab, tokenizers: { source: context.sourceTokenizer, target: context.targetTokenizer } });
      evaluatePairs(context, prepared.test.slice(0, 70), 1); // warm-up (kernels, constants)
      const before = tf.memory().numTensors;
      evaluatePairs(context, prepared.test.slice(0, 70), 1);
      translateLines(context, ['cat', 'wonderful']);
      assert.equal(tf.memory().numTensors, before);
    });

    it('predicts a split with one-token labels, the source tokens and the matrix of the predictions', async () => {
      const predicted = await predictSplit(dir, { split: 'test' });
      assert.equal(predicted.shape, 'classify');
      assert.ok(predicted.samples.every(s => s.predictionTokens.length === 1 && s.sourceTokens && s.sourceTokens.join('') === s.source));
      const total = predicted.confusion!.counts.flat().reduce((a, b) => a + b, 0);
      assert.equal(total, predicted.samples.length);
    });

    it('translates a word to its label, evaluates a file, and resumes', async () => {
      const context = loadRunModel(dir);
      const [translation] = translateLines(context, ['understanding']);
      assert.equal(translation.tokens.length, 1);
      assert.match(translation.output, /^[1-9]$/);
      const file = path.join(root, 'syllables.tsv');
      fs.writeFileSync(file, 'cat\t1\nbanana\t3\nwonderful\t3\ncomputer\t3\n');
      const scored = evaluateFile(context, file, 1);
      assert.equal(scored.pairs, 4);
      assert.ok(Number.isFinite(scored.metrics.macroF1));
      // Resume: a run stopped after 5 steps continues to the same end as one that never stopped.
      const split = path.join(root, 'resume-split');
      const whole = path.join(root, 'resume-whole');
      const config = { taskSize: 300, epochs: 2, embeddingSize: 8, hiddenSize: 8 };
      await trainRun({ runDir: split, data: { task: 'syllables' }, config, backend, stopAfterSteps: 5 });
      const resumed = await trainRun({ runDir: split, resume: true, backend });
      const uninterrupted = await trainRun({ runDir: whole, data: { task: 'syllables' }, config, backend });
      assert.equal(resumed.steps, uninterrupted.steps);
      assert.ok(Math.abs(resumed.metrics.loss - uninterrupted.metrics.loss) < 1e-4, `${resumed.metrics.loss} vs ${uninterrupted.metrics.loss}`);
    });

    it('trains the same on two threads as on one (label batches weighted by labels)', async () => {
      const config = { taskSize: 200, epochs: 1, embeddingSize: 8, hiddenSize: 8, batchSize: 32 };
      const one = await trainRun({ runDir: path.join(root, 'workers-1'), data: { task: 'syllables' }, config: { ...config, workers: 1 }, backend });
      const two = await trainRun({ runDir: path.join(root, 'workers-2'), data: { task: 'syllables' }, config: { ...config, workers: 2 }, backend });
      assert.ok(Math.abs(one.metrics.loss - two.metrics.loss) < 1e-4, `${one.metrics.loss} vs ${two.metrics.loss}`);
    });

    it('pooling changes the sentence vector; mean and max ignore padding', () => {
      const logits = (pooling: PoolingType, padTo = 0) => tf.tidy(() => {
        const model = new Seq2SeqModel(tinyConfig({ shape: 'classify', classifyPooling: pooling }), { sourceVocabSize: 9, targetVocabSize: 7 }, 3);
        const { sourceIds, sourceMask } = sourceTensors([[4, 5, 6, 7], [8, 4]], padTo);
        const out = Array.from(model.labelLogits(sourceIds, sourceMask, false).dataSync());
        model.dispose();
        return out;
      });
      const [last, mean, max] = (['last', 'mean', 'max'] as const).map(p => logits(p));
      const differ = (a: number[], b: number[]) => a.some((x, i) => Math.abs(x - b[i]) > 1e-5);
      assert.ok(differ(last, mean) && differ(mean, max) && differ(last, max), 'each pooling gives other logits');
      for (const pooling of ['last', 'mean', 'max'] as const) {
        const padded = logits(pooling, 9);
        assert.ok(!differ(logits(pooling), padded), `${pooling}: padding changed the logits`);
      }
    });
  });

  describe('tag', () => {
    it('learns each character\'s pinyin on a small slice (the training tags fitted)', async () => {
      // 300 words leave most test characters unseen in training, so what can be learnt is the
      // training slice: a fixed learning rate (the plateau cuts would follow the validation
      // loss, which rises as soon as the slice is memorised), the last checkpoint.
      const dir = path.join(root, 'pinyin-tag');
      const result = await trainRun({ runDir: dir, data: { task: 'pinyin-tag' }, config: { taskSize: 300, epochs: 20, embeddingSize: 32, hiddenSize: 64, patience: 0, validFraction: 0.1, testFraction: 0.1, lrDecay: 'none', annealFraction: 0 }, backend });
      assert.equal(result.shape, 'tag');
      const context = loadRunModel(dir, 'last');
      const prepared = prepareData({ task: 'pinyin-tag' }, context.config, { source: context.sourceVocab, target: context.targetVocab, tokenizers: { source: context.sourceTokenizer, target: context.targetTokenizer } });
      const train = evaluatePairs(context, prepared.train, 1).metrics;
      const commonest = majorityShare(prepared.test.flatMap(p => p.targetTokens));
      console.log(`      shapes tag: train tag accuracy ${train.tokenAccuracy.toFixed(3)}, test tag accuracy ${result.metrics.tokenAccuracy.toFixed(3)}, test macro-F1 ${result.metrics.macroF1.toFixed(3)}, commonest tag ${commonest.toFixed(3)}, ${result.steps} steps`);
      assert.ok(train.tokenAccuracy > 0.9, `train tag accuracy ${train.tokenAccuracy}`);
      assert.ok(train.macroF1 > 0.8, `train macro-F1 ${train.macroF1}`);
      assert.ok(Number.isFinite(result.metrics.macroF1));
      // One tag per source token in every prediction.
      const [translation] = translateLines(context, ['银行家']);
      assert.equal(translation.tokens.length, 3);
    });

    it('shape auto detects a tagging file, trains tag and records why', async () => {
      const file = path.join(root, 'pos.tsv');
      const lines = ['the cat sat\tDET NOUN VERB', 'a dog ran away\tDET NOUN VERB ADV', 'birds sing\tNOUN VERB', 'the old man smiled\tDET ADJ NOUN VERB'];
      fs.writeFileSync(file, Array.from({ length: 15 }, () => lines).flat().join('\n') + '\n');
      const dir = path.join(root, 'pos');
      const logs: string[] = [];
      const result = await trainRun({ runDir: dir, data: { dataPath: file }, config: { epochs: 1, embeddingSize: 8, hiddenSize: 8, attention: 'dot', beamSize: 3 }, backend, onProgress: e => { if (e.kind === 'log') logs.push(e.message); } });
      assert.equal(result.shape, 'tag');
      assert.ok(logs.includes('shape tag does not use attention = dot, beamSize = 3 (ignored)'), logs.join('\n'));
      assert.ok(!logs.some(l => l.startsWith('maxDecodeLength')), 'no output length is decided for a tagger');
      assert.ok(logs.some(l => /^shape = tag \(auto\) — every line has as many target as source tokens/.test(l)), logs.join('\n'));
      assert.equal(new RunDirectory(dir).readConfig().config.shape, 'tag');
    });

    it('refuses a data file whose tags do not match its tokens, naming the lines', async () => {
      const file = path.join(root, 'tags.tsv');
      fs.writeFileSync(file, 'the cat sat\tDET NOUN VERB\na dog\tDET NOUN\nit ran away\tPRON VERB\ndogs bark\tNOUN VERB\nbirds sing loudly\tNOUN VERB ADV\nfish swim\tNOUN\n');
      await assert.rejects(trainRun({ runDir: path.join(root, 'bad-tags'), data: { dataPath: file }, config: { shape: 'tag', sourceTokenizer: 'word' }, backend }),
        /one tag per source token.*2 pairs differ: line 3: 3 source tokens but 2 tags; line 6: 2 source tokens but 1 tags/);
    });
  });

  describe('generate', () => {
    it('learns to write a word that fits its prompt (the prompt conditions the decoder)', async () => {
      const dir = path.join(root, 'words');
      const result = await trainRun({ runDir: dir, data: { task: 'words' }, config: { taskSize: 3000, epochs: 4, embeddingSize: 32, hiddenSize: 64 }, backend });
      assert.equal(result.shape, 'generate');
      const context = loadRunModel(dir);
      // The last letter in upper case (see the task); "1 k T" and "1 t K" ask for different words.
      const prompts = ['2 s S', '1 b T', '3 c N', '2 m Y', '1 t K', '2 p R', '3 a N', '1 k T'];
      const outputs = translateLines(context, prompts).map(t => t.output);
      const firstLetter = outputs.filter((o, i) => o[0] === prompts[i].split(' ')[1]).length / prompts.length;
      const uniform = Math.log(context.targetVocab.size);
      console.log(`      shapes generate: test loss ${result.metrics.loss.toFixed(3)} (uniform ${uniform.toFixed(3)}), exact match (a dictionary word fitting the prompt) ${result.metrics.exactMatch.toFixed(3)}, first letter right ${firstLetter.toFixed(2)}: ${prompts.map((p, i) => `${p} → ${outputs[i]}`).join(', ')}`);
      assert.ok(result.metrics.loss < uniform - 1, `loss ${result.metrics.loss} vs uniform ${uniform}`);
      assert.ok(firstLetter >= 0.75, `first letters right: ${firstLetter}`);
    });
  });
});

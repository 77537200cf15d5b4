/**
 * Learnability: the DEFAULT configuration, given only a time limit, must learn small slices of
 * the issue-9 corpora (files, so `auto` chooses the tokenizers and the data-fitted defaults
 * size the model). Each bar is one a broken default fails: outputs no better than a constant,
 * a loss that stays near a uniform guess's, numbers that never come out right.
 * The measured values are printed (`learnability …`) to recalibrate the bars. Measured on
 * 2 cores (WASM, 2026-12-01): numbers exact match 0.97, test loss 0.06 (uniform 3.47);
 * EN→DE chrF 34.3 (constant output 17.6), loss 3.50 (uniform 5.70); spelling chrF 48.8
 * (constant 9.5), loss 0.79 (uniform 3.40). The engine before the data-aware defaults
 * (epochs 5, early stopping on exact match, `cjk` tokens for files) failed all three: exact
 * match 0 and chrF 30.1 on numbers, chrF 0 (empty outputs) on the other two.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { trainRun } from '../../../src/engine/train/trainer';
import { releaseModel } from '../../../src/engine/inference';
import { corpusChrf } from '../../../src/shared/scoring';
import type { TrainResult } from '../../../src/shared/protocol';
import { numbersCorpus } from '../../../scripts/corpora/numbers';
import { typescriptPairs } from '../../../scripts/corpora/messages';
import { spellingCorpus } from '../../../scripts/corpora/dictionary';
import { writeTsv, type Pair } from '../../../scripts/corpora/tsv';
import { useTestBackend } from './helpers';

/** Time limit of each run: the whole file stays under about three minutes on two cores. */
const MINUTES = 0.75;

/** The best chrF a constant output gets on these references: empty, the commonest line, the commonest words. */
function constantChrf(references: string[]): number {
  const count = (items: string[]) => {
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([item]) => item);
  };
  const words = count(references.flatMap(r => r.split(' ')));
  const candidates = ['', count(references)[0], words.slice(0, 3).join(' '), words.slice(0, 6).join(' ')];
  return Math.max(...candidates.map(c => corpusChrf(references.map(() => c), [references]).score));
}

/** The cross-entropy of a uniform guess over the target vocabulary: what an untrained model starts near. */
function uniformLoss(runDir: string): number {
  const { tokens } = JSON.parse(fs.readFileSync(path.join(runDir, 'vocab.target.json'), 'utf8')) as { tokens: string[] };
  return Math.log(tokens.length);
}

describe('learnability of the corpora with the default configuration', function () {
  this.timeout(240_000);
  let backend: string;
  let root: string;
  before(async () => {
    backend = await useTestBackend();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-learn-'));
  });
  after(() => {
    releaseModel();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function trainDefault(name: string, pairs: Pair[], tsv = {}): Promise<{ result: TrainResult; runDir: string; firstValidLoss: number }> {
    const dataPath = writeTsv(path.join(root, `${name}.tsv`), pairs, tsv);
    const runDir = path.join(root, name);
    const result = await trainRun({ runDir, data: { dataPath }, config: { maxMinutes: MINUTES }, backend });
    const valid = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l) as { split: string; loss: number }).filter(r => r.split === 'valid');
    const m = result.metrics;
    console.log(`      learnability ${name}: ${JSON.stringify({ tokenizers: result.tokenizers, epochs: result.epochs, steps: result.steps, seconds: result.seconds, exactMatch: m.exactMatch, bleu: m.bleu, chrf: m.chrf, cer: m.cer, wer: m.wer, loss: m.loss, firstValidLoss: valid[0]?.loss, uniformLoss: uniformLoss(runDir), stopReason: result.stopReason })}`);
    return { result, runDir, firstValidLoss: valid[0]?.loss ?? Number.NaN };
  }

  it('numbers 0–999 → words (600 pairs, BOM + CRLF): most test numbers come out exactly right', async () => {
    const { result, runDir } = await trainDefault('numbers', numbersCorpus({ lines: 600, max: 999, distinct: true }), { bom: true, crlf: true });
    assert.equal(result.state, 'completed');
    assert.ok(result.metrics.exactMatch >= 0.8, `exact match ${result.metrics.exactMatch}`);
    assert.ok(result.metrics.loss < 0.2 * uniformLoss(runDir), `test loss ${result.metrics.loss} vs uniform ${uniformLoss(runDir)}`);
  });

  it("TypeScript's diagnostics EN→DE (a few hundred short messages): chrF well above a constant output", async () => {
    const pairs = typescriptPairs({ language: 'de' });
    const { result, runDir } = await trainDefault('en-de-ts', pairs);
    const floor = constantChrf(pairs.map(p => p.target));
    console.log(`      learnability en-de-ts: constant-output chrF ${floor.toFixed(2)}`);
    assert.ok(result.metrics.chrf >= floor + 10, `chrF ${result.metrics.chrf} vs constant ${floor}`);
    assert.ok(result.metrics.loss < 0.7 * uniformLoss(runDir), `test loss ${result.metrics.loss} vs uniform ${uniformLoss(runDir)}`);
  });

  it("TypeScript's diagnostics EN→ZH (a CJK target): auto picks cjk and the loss falls far below its start", async () => {
    // A few hundred long messages over ~1,000 Han characters: too little for a good chrF in
    // seconds (about 6 against a constant output's 5), but a learning signal a broken default lacks.
    const pairs = typescriptPairs({ language: 'zh-cn', targetScript: /\p{Script=Han}/u });
    const { result, runDir, firstValidLoss } = await trainDefault('en-zh-ts', pairs);
    assert.equal(result.tokenizers?.target, 'cjk');
    assert.equal(result.tokenizers?.source, 'subword');
    assert.ok(result.metrics.loss < 0.8 * firstValidLoss, `test loss ${result.metrics.loss} vs first validation loss ${firstValidLoss}`);
    assert.ok(result.metrics.loss < 0.75 * uniformLoss(runDir), `test loss ${result.metrics.loss} vs uniform ${uniformLoss(runDir)}`);
  });

  it('spelling correction (2,000 misspelled words): chrF well above a constant output, loss far below a uniform guess', async () => {
    const pairs = spellingCorpus({ lines: 2000 });
    const { result, runDir } = await trainDefault('spelling', pairs);
    const floor = constantChrf(pairs.map(p => p.target));
    console.log(`      learnability spelling: constant-output chrF ${floor.toFixed(2)}`);
    assert.ok(result.metrics.chrf >= floor + 30, `chrF ${result.metrics.chrf} vs constant ${floor}`);
    assert.ok(result.metrics.loss < 0.5 * uniformLoss(runDir), `test loss ${result.metrics.loss} vs uniform ${uniformLoss(runDir)}`);
  });
});

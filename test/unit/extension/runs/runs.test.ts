/**
 * The host's run-directory logic that needs no VS Code: history rebuilt from metrics.jsonl,
 * marking a run interrupted (atomically, only when it still says running), and telling a live
 * engine from a dead or unrelated pid.
 */
import { strict as assert } from 'assert';
import { fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseMetricsLines } from '../../../../src/extension/runs/history';
import { loadRunSummary } from '../../../../src/extension/runs/summary';
import { isEngineProcess, isProcessAlive } from '../../../../src/extension/runs/liveness';
import { markInterrupted, readManifest } from '../../../../src/extension/runs/manifest';

describe('extension host: run directories', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seq2seq-runs-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const manifest = (state: string, extra: object = {}) =>
    fs.writeFileSync(
      path.join(dir, 'manifest.json'),
      JSON.stringify({ format: 1, state, createdAt: 'a', updatedAt: 'a', backend: 'wasm', step: 40, epoch: 1, best: null, ...extra }),
    );

  it('rebuilds eval events from metrics.jsonl, skipping test lines and a torn last line', () => {
    const lines = [
      { step: 20, epoch: 0, split: 'valid', exactMatch: 0.5, tokenAccuracy: 0.9, bleu: 50, chrf: 60, perplexity: 2, loss: 0.7, best: true, sample: { prediction: '2021-03-03', attention: [[1]] } },
      { step: 40, epoch: 1, split: 'valid', exactMatch: 0.4, tokenAccuracy: 0.8, bleu: 40, chrf: 50, perplexity: 3, loss: 0.9, best: false },
      { step: 40, epoch: 1, split: 'test', exactMatch: 0.5, tokenAccuracy: 0.9, bleu: 50, chrf: 60, perplexity: 2, loss: 0.7 },
    ];
    const events = parseMetricsLines(lines.map(l => JSON.stringify(l)).join('\n') + '\n{"step":60,"ep');
    assert.deepEqual(events.map(e => e.kind === 'eval' && [e.step, e.best, e.metrics.exactMatch, e.sample.output]), [
      [20, true, 0.5, '2021-03-03'],
      [40, false, 0.4, ''],
    ]);
  });

  it('reads CER and WER from newer metrics lines; an older line (without them) still loads, with NaN', () => {
    const older = { step: 20, epoch: 0, split: 'valid', exactMatch: 0.5, tokenAccuracy: 0.9, bleu: 50, chrf: 60, perplexity: 2, loss: 0.7, best: true };
    const newer = { ...older, step: 40, cer: 0.125, wer: 0.5 };
    const events = parseMetricsLines([older, newer].map(l => JSON.stringify(l)).join('\n'));
    const metrics = events.map(e => (e.kind === 'eval' ? e.metrics : undefined));
    assert.deepEqual([metrics[1]?.cer, metrics[1]?.wer], [0.125, 0.5]);
    assert.ok(Number.isNaN(metrics[0]?.cer) && Number.isNaN(metrics[0]?.wer));
    assert.equal(metrics[0]?.exactMatch, 0.5);
  });

  it('summarizes a run for the comparison: final metrics of an old result.json, the target unit of a new one', async () => {
    manifest('completed');
    const core = { exactMatch: 0.9, tokenAccuracy: 0.95, bleu: 80, chrf: 85, perplexity: 1.2, loss: 0.1 };
    fs.writeFileSync(path.join(dir, 'result.json'), JSON.stringify({ metrics: core }));
    const old = await loadRunSummary(dir);
    assert.equal(old.final?.split, 'test');
    assert.equal(old.final?.metrics.exactMatch, 0.9);
    assert.ok(Number.isNaN(old.final?.metrics.cer));
    assert.equal(old.targetUnit, undefined);
    fs.writeFileSync(path.join(dir, 'result.json'), JSON.stringify({ metrics: { ...core, cer: 0.02, wer: 0.1 }, targetUnit: 'phoneme' }));
    const g2p = await loadRunSummary(dir);
    assert.deepEqual([g2p.final?.metrics.cer, g2p.final?.metrics.wer, g2p.targetUnit], [0.02, 0.1, 'phoneme']);
    fs.writeFileSync(path.join(dir, 'result.json'), JSON.stringify({ metrics: { ...core, bleu: 'high' } }));
    assert.equal((await loadRunSummary(dir)).final, undefined, 'metrics that are not numbers are not final metrics');
  });

  it('reads where a fine-tuned run started (config.json finetunedFrom), ignoring a malformed one', async () => {
    manifest('completed');
    const config = (finetunedFrom: unknown) => fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ config: { objective: 'rl' }, data: { task: 'reverse' }, finetunedFrom }));
    config({ run: '/runs/tf', checkpoint: 'best', step: 120, objective: 'xent' });
    assert.deepEqual((await loadRunSummary(dir)).finetunedFrom, { run: path.resolve('/runs/tf'), step: 120 });
    config({ run: '/runs/tf', checkpoint: 'best', step: -3 });
    assert.deepEqual((await loadRunSummary(dir)).finetunedFrom, { run: path.resolve('/runs/tf') }, 'a step that is not a step is left out');
    config({ run: 7 });
    assert.equal((await loadRunSummary(dir)).finetunedFrom, undefined);
  });

  it('marks a running run interrupted atomically, without its pid, and leaves finished runs alone', async () => {
    manifest('running', { pid: 12345 });
    const marked = await markInterrupted(dir, 'engine killed');
    assert.equal(marked?.state, 'interrupted');
    const onDisk = await readManifest(dir);
    assert.deepEqual([onDisk?.state, onDisk?.pid, onDisk?.error, onDisk?.step], ['interrupted', undefined, 'engine killed', 40]);
    assert.deepEqual(fs.readdirSync(dir), ['manifest.json'], 'no temporary file left');

    manifest('completed');
    assert.equal((await markInterrupted(dir, 'late crash'))?.state, 'completed');
    assert.equal((await readManifest(dir))?.state, 'completed');
  });

  it('reads no manifest from an empty or malformed directory', async () => {
    assert.equal(await readManifest(dir), undefined);
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{"format":1,"state":"sleeping"}');
    assert.equal(await readManifest(dir), undefined);
    assert.equal(await markInterrupted(dir, 'x'), undefined);
  });

  it('recognises a live engine process by its command line, not just by its pid', async () => {
    const engineDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seq2seq-fake-'));
    fs.mkdirSync(path.join(engineDir, 'dist'));
    const script = path.join(engineDir, 'dist', 'engine.js');
    fs.writeFileSync(script, 'setTimeout(() => {}, 30000);');
    const child = fork(script, [], { stdio: 'ignore' });
    try {
      await new Promise(r => child.once('spawn', r));
      assert.equal(isEngineProcess(child.pid!), true);
      assert.equal(isEngineProcess(process.pid), false, 'mocha is alive but not an engine');
    } finally {
      child.kill('SIGKILL');
      await new Promise(r => child.once('exit', r));
      fs.rmSync(engineDir, { recursive: true, force: true });
    }
    assert.equal(isProcessAlive(child.pid!), false);
    assert.equal(isEngineProcess(child.pid!), false);
  });
});

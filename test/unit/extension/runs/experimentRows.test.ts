/**
 * The experiments table's rows from real run directories on disk (written here in the engine's
 * format): best and final metrics with their directions, duration and tokens/s from result.json,
 * the effective state, annotations read, merged and written atomically (a damaged file is
 * reported, not fatal), and the per-run cache re-reading only a run whose files changed.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RUN_ANNOTATIONS_FILE } from '../../../../src/shared/experimentsProtocol';
import { bestMetrics, ExperimentRows, readAnnotations } from '../../../../src/extension/runs/experimentRows';
import type { RunInfo } from '../../../../src/extension/runs/runStore';

const metrics = (exactMatch: number, loss: number) => ({ exactMatch, tokenAccuracy: exactMatch, bleu: exactMatch * 100, chrf: 50, cer: 1 - exactMatch, wer: 1 - exactMatch, perplexity: Math.exp(loss), loss });

function writeRun(root: string, name: string, opts: { hiddenSize: number; evals: Array<[number, number]>; result?: { seconds: number; tps: number; test: [number, number] } }): RunInfo {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  const manifest = { format: 1 as const, state: opts.result ? ('completed' as const) : ('cancelled' as const), createdAt: '2026-12-02T01:00:00.000Z', updatedAt: '2026-12-02T01:02:30.000Z', backend: 'wasm', step: opts.evals.length * 10, epoch: 0, best: null };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ config: { cell: 'lstm', hiddenSize: opts.hiddenSize, bidirectional: false, nested: { x: 1 } }, data: { task: 'dates' }, engineVersion: '0' }));
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), opts.evals.map(([em, loss], i) => JSON.stringify({ step: (i + 1) * 10, epoch: 0, split: 'valid', ...metrics(em, loss) })).join('\n') + '\n');
  if (opts.result) fs.writeFileSync(path.join(dir, 'result.json'), JSON.stringify({ seconds: opts.result.seconds, targetTokensPerSecond: opts.result.tps, metrics: metrics(...opts.result.test) }));
  return { dir, name, state: manifest.state, manifest };
}

describe('experiments table rows (host)', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-exp-rows-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('takes the best of each metric in its own direction, and the final metrics from the test split', async () => {
    const done = writeRun(root, 'done', { hiddenSize: 64, evals: [[0.5, 0.9], [0.8, 0.4], [0.7, 0.3]], result: { seconds: 125, tps: 4321, test: [0.75, 0.35] } });
    const stopped = writeRun(root, 'stopped', { hiddenSize: 128, evals: [[0.2, 1.5], [0.4, 1.1]] });
    const [a, b] = await new ExperimentRows().rows([done, stopped], () => undefined);
    assert.equal(a.best.exactMatch, 0.8, 'highest exact match');
    assert.equal(a.best.loss, 0.3, 'lowest loss (a different evaluation)');
    assert.equal(a.best.cer, 1 - 0.8);
    assert.equal(a.final.exactMatch, 0.75);
    assert.equal(a.finalSplit, 'test');
    assert.equal(a.durationSeconds, 125);
    assert.equal(a.tokensPerSecond, 4321);
    assert.equal(a.dataset, 'task dates');
    assert.deepEqual(a.config, { cell: 'lstm', hiddenSize: 64, bidirectional: false }, 'primitive settings only');
    // No result: the last validation is final, the duration is the manifest's span.
    assert.equal(b.final.exactMatch, 0.4);
    assert.equal(b.finalSplit, 'valid');
    assert.equal(b.durationSeconds, 150);
    assert.equal(b.tokensPerSecond, undefined);
    assert.equal(b.name, 'stopped');
    assert.deepEqual(bestMetrics({ curves: [] }), {});
  });

  it('uses the live step events of a running run for tokens/s and step', async () => {
    const run = writeRun(root, 'live', { hiddenSize: 64, evals: [[0.1, 2]] });
    const running: RunInfo = { ...run, state: 'running' };
    const [row] = await new ExperimentRows().rows([running], () => ({ tokensPerSecond: 999, step: 57 }));
    assert.equal(row.tokensPerSecond, 999);
    assert.equal(row.step, 57);
    assert.ok(row.durationSeconds! > 150, 'a running run lasts until now');
  });

  it('writes annotations atomically, merging edits, dropping empty fields; reads them back into the row', async () => {
    const run = writeRun(root, 'r', { hiddenSize: 64, evals: [[0.1, 2]] });
    const rows = new ExperimentRows();
    await Promise.all([rows.update(run.dir, { name: 'baseline' }), rows.update(run.dir, { notes: 'lr too high?\nnext: 3e-4' }), rows.update(run.dir, { starred: true })]);
    const file = path.join(run.dir, RUN_ANNOTATIONS_FILE);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { name: 'baseline', notes: 'lr too high?\nnext: 3e-4', starred: true }, 'three quick edits, none lost');
    assert.deepEqual(fs.readdirSync(run.dir).filter(f => f.endsWith('.tmp')), [], 'no temporary file left');
    let [row] = await rows.rows([run], () => undefined);
    assert.equal(row.name, 'baseline');
    assert.equal(row.folder, 'r');
    assert.equal(row.notes, 'lr too high?\nnext: 3e-4');
    assert.equal(row.starred, true);
    await rows.update(run.dir, { name: '  ', starred: false, hidden: true });
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { notes: 'lr too high?\nnext: 3e-4', hidden: true });
    [row] = await rows.rows([run], () => undefined);
    assert.equal(row.name, 'r', 'an empty name gives the folder name back');
    assert.equal(row.hidden, true);
  });

  it('reports a damaged annotations file and reads the run without it', async () => {
    const run = writeRun(root, 'bad', { hiddenSize: 64, evals: [[0.1, 2]] });
    fs.writeFileSync(path.join(run.dir, RUN_ANNOTATIONS_FILE), '{"name": ');
    const problems: string[] = [];
    assert.deepEqual(await readAnnotations(run.dir, p => problems.push(p)), {});
    assert.match(problems[0], /annotations\.json: not valid JSON/);
    const [row] = await new ExperimentRows().rows([run], () => undefined);
    assert.equal(row.name, 'bad');
  });

  it('re-reads a run only when its manifest or annotations changed', async () => {
    const run = writeRun(root, 'c', { hiddenSize: 64, evals: [[0.1, 2]] });
    const rows = new ExperimentRows();
    assert.equal((await rows.rows([run], () => undefined))[0].best.exactMatch, 0.1);
    // A new evaluation without a manifest change is not read (nothing told the table)…
    fs.appendFileSync(path.join(run.dir, 'metrics.jsonl'), JSON.stringify({ step: 20, epoch: 0, split: 'valid', ...metrics(0.6, 1) }) + '\n');
    assert.equal((await rows.rows([run], () => undefined))[0].best.exactMatch, 0.1);
    // …the engine's manifest update at that evaluation makes it read.
    const moved: RunInfo = { ...run, manifest: { ...run.manifest!, step: 20, updatedAt: '2026-12-02T01:03:00.000Z' } };
    assert.equal((await rows.rows([moved], () => undefined))[0].best.exactMatch, 0.6);
  });
});

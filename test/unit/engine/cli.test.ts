/**
 * The command-line contract, run through the real bin script: the last stdout line is one
 * JSON object; errors are one line on stderr and a non-zero exit.
 */
import { strict as assert } from 'assert';
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'seq2seq-lab.js');
const SMALL = ['--set', 'taskSize=200', '--set', 'epochs=1', '--set', 'hiddenSize=12', '--set', 'embeddingSize=8', '--set', 'batchSize=16', '--set', 'evalSamples=8'];

function cli(args: string[]): { status: number; stdout: string; stderr: string; last: Record<string, unknown> | undefined } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 300_000 });
  const lines = result.stdout.trim().split('\n');
  let last: Record<string, unknown> | undefined;
  try {
    last = JSON.parse(lines[lines.length - 1]);
  } catch {
    last = undefined;
  }
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, last };
}

describe('seq2seq-lab CLI', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-cli-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('tasks lists the eight built-in tasks with their shapes', () => {
    const { status, last, stderr } = cli(['tasks']);
    assert.equal(status, 0);
    assert.deepEqual((last!.tasks as Array<{ name: string }>).map(t => t.name).sort(), ['dates', 'g2p', 'pinyin', 'pinyin-tag', 'reverse', 'sort', 'syllables', 'words']);
    assert.match(stderr, /syllables\s+classify/);
    assert.match(stderr, /pinyin-tag\s+tag/);
  });

  it('train --task syllables trains a classifier (shape auto) and prints accuracy, macro-F1 and the confusion matrix; --set shape=classify on a file too', () => {
    const run = path.join(dir, 'classify');
    const trained = cli(['train', '--task', 'syllables', '--out', run, '--set', 'taskSize=200', '--set', 'epochs=1', '--set', 'embeddingSize=8', '--set', 'hiddenSize=8']);
    assert.equal(trained.status, 0, trained.stderr);
    assert.equal(trained.last!.shape, 'classify');
    assert.match(trained.stderr, /shape = classify \(auto\) — the built-in task's shape/);
    assert.match(trained.stderr, /test: Accuracy [\d.]+ %, Macro-F1 [\d.]+ %/);
    assert.match(trained.stderr, /confusion \(rows reference, columns predicted\)/);
    const translated = cli(['translate', '--model', run, 'wonderful']);
    assert.equal(translated.status, 0, translated.stderr);
    const file = path.join(dir, 'labels.tsv');
    fs.writeFileSync(file, Array.from({ length: 40 }, (_, i) => `${'ab'.repeat(1 + (i % 3))} x\t${['short', 'medium', 'long'][i % 3]}`).join('\n') + '\n');
    const set = cli(['train', '--data', file, '--out', path.join(dir, 'classify-file'), '--set', 'shape=classify', '--set', 'epochs=1', '--set', 'embeddingSize=8', '--set', 'hiddenSize=8']);
    assert.equal(set.status, 0, set.stderr);
    assert.equal(set.last!.shape, 'classify');
  });

  it('train prints progress on stderr and the result contract as the last stdout line; translate and eval follow', () => {
    const run = path.join(dir, 'run');
    const trained = cli(['train', '--task', 'reverse', '--out', run, ...SMALL, '--seed', '3']);
    assert.equal(trained.status, 0, trained.stderr);
    assert.match(trained.stderr, /training on \w+/);
    const result = trained.last!;
    assert.equal(result.run, run);
    assert.ok(['wasm', 'cpu', 'tensorflow'].includes(result.backend as string));
    assert.equal(result.epochs, 1);
    assert.ok((result.targetTokensPerSecond as number) > 0);
    for (const key of ['exactMatch', 'bleu', 'chrf', 'tokenAccuracy', 'perplexity']) assert.equal(typeof (result.metrics as Record<string, unknown>)[key], 'number', key);
    assert.equal(JSON.parse(fs.readFileSync(path.join(run, 'config.json'), 'utf8')).config.seed, 3);
    assert.match((result.signatures as { bleu: string }).bleu, /^nrefs:1\|case:mixed\|eff:no\|tok:13a\|smooth:exp\|version:/);

    const sampled = cli(['translate', '--model', run, '--sample', '4', '--temperature', '0.7', '--top-k', '3', '--seed', '5', 'abc']);
    assert.equal(sampled.status, 0, sampled.stderr);
    const candidates = (sampled.last as { candidates: Array<{ logProbability: number; tokens: string[]; probabilities: number[] }> }).candidates;
    assert.equal(candidates.length, 4);
    for (let i = 1; i < candidates.length; i++) assert.ok(candidates[i - 1].logProbability >= candidates[i].logProbability);
    for (const c of candidates) assert.equal(c.probabilities.length, c.tokens.length);
    const again = cli(['translate', '--model', run, '--sample', '4', '--temperature', '0.7', '--top-k', '3', '--seed', '5', 'abc']);
    assert.deepEqual(again.last!.candidates, sampled.last!.candidates, 'sampling is reproducible for a seed');

    const translated = cli(['translate', '--model', run, '--beam', '3', 'abcdef']);
    assert.equal(translated.status, 0, translated.stderr);
    const t = translated.last as { output: string; tokens: string[]; probabilities: number[]; attention: number[][]; sourceTokens: string[] };
    assert.equal(typeof t.output, 'string');
    assert.deepEqual(t.sourceTokens, ['a', 'b', 'c', 'd', 'e', 'f']);
    assert.equal(t.probabilities.length, t.tokens.length);
    assert.equal(t.attention.length, t.tokens.length);
    for (const row of t.attention) assert.equal(row.length, t.sourceTokens.length);

    const data = path.join(dir, 'eval.tsv');
    fs.writeFileSync(data, 'abc\tcba\nhello\tolleh\n');
    const evaluated = cli(['eval', '--model', run, '--data', data]);
    assert.equal(evaluated.status, 0, evaluated.stderr);
    assert.equal(evaluated.last!.pairs, 2);
    assert.equal(typeof evaluated.last!.bleu, 'number');
  });

  it('Ctrl+C saves a checkpoint and ends the run as cancelled; --resume continues it', async () => {
    const run = path.join(dir, 'interrupted');
    const child = spawn(process.execPath, [BIN, 'train', '--task', 'reverse', '--out', run, ...SMALL, '--set', 'epochs=50', '--set', 'taskSize=2000'], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    await new Promise<void>(resolve => {
      const poll = setInterval(() => {
        if (/training on/.test(stderr)) {
          clearInterval(poll);
          setTimeout(() => { child.kill('SIGINT'); resolve(); }, 1500);
        }
      }, 100);
    });
    const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    assert.equal(result.state, 'cancelled');
    assert.ok(fs.existsSync(path.join(run, 'checkpoints', 'last.ckpt')));
    assert.equal(JSON.parse(fs.readFileSync(path.join(run, 'manifest.json'), 'utf8')).state, 'cancelled');
    const refused = cli(['train', '--resume', run, '--set', 'hiddenSize=64']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /cannot change hiddenSize when resuming/);
    const resumed = cli(['train', '--resume', run, '--set', 'epochs=2']);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.equal(resumed.last!.state, 'completed');
    assert.equal(resumed.last!.epochs, 2);
    assert.ok((resumed.last!.steps as number) > (result.steps as number));
  });

  const failures: Array<[string, string[], number, RegExp]> = [
    ['an unknown setting', ['train', '--task', 'reverse', '--out', 'x', '--set', 'hiddenSise=3'], 2, /unknown setting "hiddenSise" \(did you mean "hiddenSize"\?\)/],
    ['an out-of-range value', ['train', '--task', 'reverse', '--out', '/tmp/s2s-never', '--set', 'dropout=2'], 1, /dropout must be between 0 and 0.9/],
    ['an unknown task', ['train', '--task', 'nope', '--out', '/tmp/s2s-never2'], 1, /unknown task "nope" \(available: dates, reverse, sort, g2p, pinyin, syllables, pinyin-tag, words\)/],
    ['a missing data file', ['train', '--data', '/nonexistent/pairs.tsv', '--out', '/tmp/s2s-never3'], 1, /\/nonexistent\/pairs\.tsv: file not found/],
    ['a missing run to resume', ['train', '--resume', '/nonexistent/run'], 1, /no run to resume/],
    ['an unknown command', ['frobnicate'], 2, /unknown command "frobnicate"/],
    ['sampling options without --sample', ['translate', '--model', '/tmp', '--temperature', '2', 'x'], 2, /add --sample N/],
  ];
  for (const [name, args, code, message] of failures) {
    it(`${name}: one line on stderr, exit ${code}`, () => {
      const { status, stderr } = cli(args);
      assert.equal(status, code, stderr);
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0], /^seq2seq-lab: error: /);
      assert.match(lines[0], message);
    });
  }

  it('a data file with too many bad lines names the file and the lines', () => {
    const data = path.join(dir, 'bad.tsv');
    fs.writeFileSync(data, 'good\tline\nno tab here\n\tempty source\nok\tfine\n');
    const { status, stderr } = cli(['train', '--data', data, '--out', path.join(dir, 'badrun')]);
    assert.equal(status, 1);
    assert.match(stderr, /bad\.tsv: 2 of 4 lines are malformed/);
    assert.match(stderr, /bad\.tsv:2: missing tab/);
    assert.match(stderr, /bad\.tsv:3: empty source/);
  });

  it('--verbose adds the stack trace', () => {
    const { stderr } = cli(['train', '--task', 'nope', '--out', '/tmp/s2s-never4', '--verbose']);
    assert.ok(stderr.trim().split('\n').length > 1);
    assert.match(stderr, /\n\s+at /);
  });
});

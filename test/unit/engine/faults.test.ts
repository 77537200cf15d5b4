/**
 * Fault and bad-input tests for the engine. Each prints its counts.
 * - SIGKILL at random moments of a training run, 10 times: no corrupt checkpoint, no lost or
 *   malformed metrics line, and the run resumes every time.
 * - 1,000 malformed dataset lines of many kinds: each reported with its line number.
 * - 1,000 random or malformed protocol messages to the engine process: each rejected, the
 *   engine keeps working and nothing is written.
 * - 1,000 translations in a row: tensor count and tensor memory stay flat.
 */
import { strict as assert } from 'assert';
import { ChildProcess, execFileSync, fork, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import { ResponseError } from 'vscode-jsonrpc';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, MessageConnection } from 'vscode-jsonrpc/node';
import { parseParallelBuffer } from '../../../src/engine/data';
import { loadCheckpoint } from '../../../src/engine/train/checkpoint';
import { trainRun } from '../../../src/engine/train/trainer';
import { loadRunModel, releaseModel, translateLines } from '../../../src/engine/inference';
import { HelloRequest } from '../../../src/shared/protocol';
import { useTestBackend } from './helpers';

const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'bin', 'seq2seq-lab.js');

function report(line: string): void {
  process.stderr.write(`      ${line}\n`);
}

describe('faults and bad input', function () {
  this.timeout(600_000);
  let dir: string;
  before(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-faults-'));
  });
  after(() => {
    releaseModel();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('SIGKILL at 10 random moments: 0 corrupt checkpoints, 0 malformed metrics lines, resumable each time', async () => {
    const run = path.join(dir, 'killed');
    const rng = seedrandom('kill-moments');
    let corrupt = 0;
    let malformed = 0;
    let resumable = 0;
    let lastStep = -1;
    for (let attempt = 0; attempt < 10; attempt++) {
      const args = attempt === 0
        ? ['train', '--task', 'reverse', '--out', run, '--set', 'taskSize=400', '--set', 'epochs=200', '--set', 'hiddenSize=12', '--set', 'embeddingSize=8', '--set', 'batchSize=16', '--set', 'evalEverySteps=4', '--set', 'evalSamples=4', '--set', 'patience=0']
        : ['train', '--resume', run];
      const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      const exited = new Promise(resolve => child.on('exit', resolve));
      let stderr = '';
      child.stderr!.on('data', d => (stderr += d));
      // Wait until training runs, then kill at a random moment 0–2.5 s later.
      await new Promise<void>((resolve, reject) => {
        const poll = setInterval(() => {
          if (/training on/.test(stderr)) {
            clearInterval(poll);
            setTimeout(() => { child.kill('SIGKILL'); resolve(); }, rng() * 2500);
          } else if (child.exitCode !== null) {
            clearInterval(poll);
            reject(new Error(`engine exited before training (attempt ${attempt}): ${stderr}`));
          }
        }, 20);
      });
      await exited;
      const checkpointFile = path.join(run, 'checkpoints', 'last.ckpt');
      if (fs.existsSync(checkpointFile)) {
        try {
          const checkpoint = loadCheckpoint(checkpointFile);
          checkpoint.tensors.forEach(t => t.dispose());
          lastStep = Math.max(lastStep, checkpoint.state.step);
        } catch {
          corrupt++;
        }
      }
      const metricsFile = path.join(run, 'metrics.jsonl');
      if (fs.existsSync(metricsFile)) {
        const text = fs.readFileSync(metricsFile, 'utf8');
        if (text.length && !text.endsWith('\n')) malformed++;
        for (const line of text.split('\n').filter(Boolean)) {
          try {
            const record = JSON.parse(line);
            if (typeof record.step !== 'number' || typeof record.exactMatch !== 'number') malformed++;
          } catch {
            malformed++;
          }
        }
      }
      // A kill during a write can leave its temporary file (SIGKILL cannot be caught); the
      // next start removes it, so at most this kill's own one is there.
      const temps = fs.readdirSync(path.join(run, 'checkpoints')).filter(name => name.endsWith('.tmp'));
      assert.ok(temps.length <= 1, `temp files piling up: ${temps}`);
    }
    // Every kill left a run that resumes: the last resume runs to a clean cancellation.
    const final = spawn(process.execPath, [BIN, 'train', '--resume', run, '--set', 'epochs=1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    const finalExit = new Promise(resolve => final.on('exit', resolve));
    let out = '';
    final.stdout!.on('data', d => (out += d));
    const code = await finalExit;
    if (code === 0) resumable++;
    for (const name of fs.readdirSync(path.join(run, 'checkpoints'))) assert.ok(!name.endsWith('.tmp'), `temp file left after a resume: ${name}`);
    const result = JSON.parse(out.trim().split('\n').pop()!);
    // Metric steps are increasing after all the restarts: no duplicates from replayed steps.
    const steps = fs.readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l)).filter(r => r.split === 'valid').map(r => r.step);
    for (let i = 1; i < steps.length; i++) assert.ok(steps[i] > steps[i - 1], `metrics steps not increasing: ${steps}`);
    report(`SIGKILL x10: ${corrupt} corrupt checkpoints, ${malformed} malformed metrics lines, final resume ${code === 0 ? 'ok' : 'FAILED'} at step ${result.steps} (last checkpoint before: step ${lastStep})`);
    assert.equal(corrupt, 0);
    assert.equal(malformed, 0);
    assert.equal(resumable, 1);
  });

  it('1,000 malformed dataset lines of many kinds are each reported with their line number', () => {
    const kinds: Array<[string, Buffer, RegExp]> = [
      ['missing tab', Buffer.from('no tab here'), /missing tab/],
      ['empty source', Buffer.from('\ttarget'), /empty source/],
      ['empty target', Buffer.from('source\t  '), /empty target/],
      ['invalid UTF-8', Buffer.from([0x61, 0xff, 0xfe, 0x09, 0x62]), /invalid UTF-8/],
      ['NUL byte', Buffer.from('a\u0000b\tc'), /NUL/],
      ['1 MB line', Buffer.alloc(1_000_000, 0x61), /over the limit/],
      ['lone surrogate bytes', Buffer.from([0xed, 0xa0, 0x80, 0x09, 0x61]), /invalid UTF-8/],
    ];
    const rng = seedrandom('bad-lines');
    const parts: Buffer[] = [];
    const expected = new Map<number, RegExp>();
    let line = 0;
    const endings = [Buffer.from('\n'), Buffer.from('\r\n'), Buffer.from('\r')];
    for (let i = 0; i < 2000; i++) {
      line++;
      if (i % 2 === 0) {
        const [, bytes, reason] = kinds[Math.floor(rng() * kinds.length)];
        parts.push(bytes);
        expected.set(line, reason);
      } else {
        parts.push(Buffer.from(`good ${i}\tgut ${i}`));
      }
      parts.push(endings[Math.floor(rng() * endings.length)]); // mixed line endings
    }
    const result = parseParallelBuffer(Buffer.concat(parts), 'mixed.tsv', { maxBadLineFraction: 0.6 });
    let reported = 0;
    for (const bad of result.badLines) {
      const reason = expected.get(bad.line);
      assert.ok(reason, `line ${bad.line} reported but was good`);
      assert.match(bad.reason, reason);
      assert.equal(bad.file, 'mixed.tsv');
      reported++;
    }
    report(`bad dataset lines: ${reported} of ${expected.size} reported with line numbers, ${result.pairs.length} good pairs kept`);
    assert.equal(reported, 1000);
    assert.equal(result.pairs.length, 1000);
  });

  describe('engine process under random messages', () => {
    let child: ChildProcess;
    let connection: MessageConnection;
    before(() => {
      child = fork(path.join(ROOT, 'dist', 'engine.js'), [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], cwd: dir });
      connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
      connection.listen();
    });
    after(() => {
      connection.dispose();
      child.kill();
    });

    it('1,000 random or malformed requests: each rejected, engine alive, nothing written', async () => {
      const rng = seedrandom('protocol-fuzz');
      const methods = ['engine/train', 'engine/translate', 'engine/evaluate', 'engine/hello', 'engine/nope', '$/weird', ''];
      const values = (depth: number): unknown => {
        const r = rng();
        if (depth > 2 || r < 0.2) return [null, 0, -1, 1e308, NaN, '', 'x', '../../etc', true, false][Math.floor(rng() * 10)];
        if (r < 0.5) return Array.from({ length: Math.floor(rng() * 3) }, () => values(depth + 1));
        const keys = ['runDir', 'modelDir', 'lines', 'task', 'dataPath', 'config', 'resume', 'beamSize', 'backend', 'sampling', 'zzz'];
        return Object.fromEntries(Array.from({ length: Math.floor(rng() * 4) }, () => [keys[Math.floor(rng() * keys.length)], values(depth + 1)]));
      };
      const before = fs.readdirSync(dir).sort();
      let rejected = 0;
      for (let i = 0; i < 1000; i++) {
        const method = methods[Math.floor(rng() * methods.length)];
        let params = values(0);
        // Keep requests that would be valid from doing real work: point them at nothing.
        if (params && typeof params === 'object' && !Array.isArray(params) && 'runDir' in params) (params as Record<string, unknown>).runDir = 42;
        if (method === 'engine/hello') params = { backend: 'quantum' };
        try {
          await connection.sendRequest(method, params);
        } catch (error) {
          assert.ok(error instanceof ResponseError, String(error));
          rejected++;
        }
      }
      const hello = await connection.sendRequest(HelloRequest.type, { backend: 'auto' });
      report(`protocol fuzz: ${rejected} of 1000 random requests rejected with an error; engine alive on ${hello.backend}`);
      assert.equal(rejected, 1000);
      assert.deepEqual(fs.readdirSync(dir).sort(), before, 'the engine wrote files');
    });
  });

  it('1,000 translations in a row: tensor count and tensor memory stay flat', async () => {
    const backend = await useTestBackend();
    const run = path.join(dir, 'translator');
    await trainRun({ runDir: run, data: { task: 'reverse' }, config: { taskSize: 200, epochs: 1, hiddenSize: 12, embeddingSize: 8, batchSize: 16, evalSamples: 4 }, backend });
    const context = loadRunModel(run);
    translateLines(context, ['warmup'], { beamSize: 2 });
    const tensorsBefore = tf.memory().numTensors;
    const bytesBefore = tf.memory().numBytes;
    for (let i = 0; i < 1000; i++) translateLines(context, [`word${'abcdefgh'.slice(0, 1 + (i % 8))}`], { beamSize: i % 3 === 0 ? 3 : 1 });
    report(`1000 translations: tensors ${tensorsBefore} → ${tf.memory().numTensors}, bytes ${bytesBefore} → ${tf.memory().numBytes}, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`);
    assert.equal(tf.memory().numTensors, tensorsBefore);
    assert.equal(tf.memory().numBytes, bytesBefore);
  });
});

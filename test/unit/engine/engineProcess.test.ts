/**
 * The engine as a child process: JSON-RPC over IPC with the shared protocol types, as the
 * extension host uses it. Params are validated; cancellation ends training with a checkpoint;
 * malformed requests get errors and leave the engine working.
 */
import { strict as assert } from 'assert';
import { ChildProcess, execFileSync, fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, MessageConnection } from 'vscode-jsonrpc/node';
import { EngineErrorCode, EngineInfoRequest, HelloRequest, InspectRequest, ProgressEvent, ProgressNotification, TasksRequest, TrainRequest, TranslateRequest } from '../../../src/shared/protocol';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('engine child process (JSON-RPC)', function () {
  this.timeout(300_000);
  let child: ChildProcess;
  let connection: MessageConnection;
  let dir: string;
  const events: ProgressEvent[] = [];

  before(() => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-engine-'));
    child = fork(path.join(ROOT, 'dist', 'engine.js'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.onNotification(ProgressNotification.type, p => events.push(p.event));
    connection.listen();
  });
  after(() => {
    connection.dispose();
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hello starts a backend and lists tasks', async () => {
    const hello = await connection.sendRequest(HelloRequest.type, { backend: 'auto' });
    assert.ok(['wasm', 'cpu', 'tensorflow'].includes(hello.backend));
    assert.equal(hello.tasks.length, 8);
    assert.equal((await connection.sendRequest(TasksRequest.type)).length, 8);
  });

  it('engine info names the backend hello started, the tfjs and Node versions and the threads', async () => {
    const hello = await connection.sendRequest(HelloRequest.type, { backend: 'auto' });
    const info = await connection.sendRequest(EngineInfoRequest.type);
    assert.equal(info.backend, hello.backend);
    assert.equal(info.engineVersion, hello.engineVersion);
    assert.equal(info.tfjsVersion, require('@tensorflow/tfjs-core/package.json').version);
    assert.equal(info.nodeVersion, process.versions.node);
    assert.equal(info.platform, `${process.platform}-${process.arch}`);
    assert.equal(info.cpuCores, os.cpus().length);
    assert.ok(Number.isInteger(info.kernelThreads) && info.kernelThreads >= 1, `kernelThreads ${info.kernelThreads}`);
    if (info.backend === 'wasm') assert.ok(/^native BLAS/.test(info.matMulKernel) || (info.matMulKernel === 'XNNPACK (WASM SIMD)' && info.nativeMatMulProblem), `matMulKernel ${info.matMulKernel} (${info.nativeMatMulProblem})`);
    assert.equal(info.autoWorkers, info.backend !== 'tensorflow' && info.cpuCores >= 2 ? 2 : 1);
  });

  it('trains with progress notifications, then translates with attention', async () => {
    const runDir = path.join(dir, 'run');
    const result = await connection.sendRequest(TrainRequest.type, { runDir, task: 'reverse', config: { taskSize: 200, epochs: 1, hiddenSize: 12, embeddingSize: 8, batchSize: 16, evalSamples: 8 } });
    assert.equal(result.state, 'completed');
    assert.ok(events.some(e => e.kind === 'start') && events.some(e => e.kind === 'step') && events.some(e => e.kind === 'eval'));
    const { translations } = await connection.sendRequest(TranslateRequest.type, { modelDir: runDir, lines: ['abc', 'hello'], beamSize: 2 });
    assert.equal(translations.length, 2);
    for (const t of translations) {
      assert.equal(t.attention.length, t.tokens.length);
      t.attention.forEach(row => assert.equal(row.length, t.sourceTokens.length));
    }
  });

  it('cancelling a training request saves a checkpoint and returns state cancelled', async () => {
    const runDir = path.join(dir, 'cancel');
    const source = new CancellationTokenSource();
    const started = events.length;
    const pending = connection.sendRequest(TrainRequest.type, { runDir, task: 'reverse', config: { taskSize: 3000, epochs: 20, hiddenSize: 12, embeddingSize: 8 } }, source.token);
    while (!events.slice(started).some(e => e.kind === 'step')) await new Promise(r => setTimeout(r, 50));
    source.cancel();
    const result = await pending.catch(error => error);
    // vscode-jsonrpc may reject a cancelled request on the client side; the engine still finishes cleanly.
    if (!(result instanceof Error)) assert.equal(result.state, 'cancelled');
    for (let i = 0; i < 100 && !fs.existsSync(path.join(runDir, 'result.json')); i++) await new Promise(r => setTimeout(r, 100));
    assert.equal(JSON.parse(fs.readFileSync(path.join(runDir, 'manifest.json'), 'utf8')).state, 'cancelled');
    assert.ok(fs.existsSync(path.join(runDir, 'checkpoints', 'last.ckpt')));
  });

  it('a sweep trial: config.json records its sweep, and the median rule against the completed trials\' curves stops it at an evaluation worse than theirs', async () => {
    const runDir = path.join(dir, 'trial');
    const unbeatable: Array<[number, number]> = Array.from({ length: 200 }, (_, i) => [i + 1, 0]);
    const result = await connection.sendRequest(TrainRequest.type, {
      runDir, task: 'reverse', config: { taskSize: 200, epochs: 1, hiddenSize: 8, embeddingSize: 8, batchSize: 16, evalSamples: 8, evalEverySteps: 3 },
      sweep: { id: 'sweep-x', trial: 5, metric: 'loss', pruning: true, completed: Array(5).fill(unbeatable), rule: { nStartupTrials: 5, nWarmupSteps: 0, nMinTrials: 1 } },
    });
    assert.equal(result.state, 'completed');
    assert.match(result.stopReason, /^pruned at step 3: best loss .* is worse than the median 0 of 5 completed trials there/);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(runDir, 'config.json'), 'utf8')).sweep, { id: 'sweep-x', trial: 5, metric: 'loss', pruning: true });
  });

  it('rejects malformed requests with InvalidParams and keeps working', async () => {
    const bad: unknown[] = [
      null, 42, 'x', [], {}, { runDir: '' }, { runDir: 5 }, { runDir: '/tmp/x', config: [] }, { runDir: '/tmp/x', resume: 'yes' },
      { runDir: '/tmp/x', extra: 1 }, { runDir: '/tmp/x', sweep: { id: 's' } }, { runDir: '/tmp/x', sweep: { id: 's', trial: 0, metric: 'nope', pruning: true } },
      { runDir: '/tmp/x', sweep: { id: 's', trial: 0, metric: 'loss', pruning: true, completed: [[[1]]] } }, { modelDir: '/tmp/x', lines: [] }, { modelDir: '/tmp/x', lines: [1] }, { modelDir: '/tmp/x', lines: ['a'], beamSize: 0 },
    ];
    let rejected = 0;
    for (const params of bad) {
      for (const method of [TrainRequest.method, TranslateRequest.method]) {
        try {
          await connection.sendRequest(method, params);
        } catch (error) {
          assert.ok(error instanceof ResponseError);
          assert.ok([EngineErrorCode.InvalidParams, EngineErrorCode.NotFound, EngineErrorCode.BadData].includes(error.code), `${method} ${JSON.stringify(params)}: ${error.code} ${error.message}`);
          rejected++;
        }
      }
    }
    assert.equal(rejected, bad.length * 2);
    const hello = await connection.sendRequest(HelloRequest.type, { backend: 'auto' });
    assert.ok(hello.backend);
  });

  it('a new run or a dataset card needs exactly one of task and dataPath (checked at the entry, nothing written)', async () => {
    const runDir = path.join(dir, 'no-data');
    const cases: Array<[string, unknown, RegExp]> = [
      [TrainRequest.method, { runDir }, /a new run needs exactly one of task and dataPath/],
      [TrainRequest.method, { runDir, task: 'dates', dataPath: '/w/p.tsv' }, /exactly one/],
      [TrainRequest.method, { runDir, task: '' }, /must be a non-empty string/],
      [InspectRequest.method, {}, /engine\/inspect: needs exactly one of task and dataPath/],
      [InspectRequest.method, { task: 'dates', dataPath: '/w/p.tsv' }, /exactly one/],
    ];
    for (const [method, params, message] of cases) {
      await assert.rejects(connection.sendRequest(method, params), (error: unknown) => {
        assert.ok(error instanceof ResponseError, String(error));
        assert.equal(error.code, EngineErrorCode.InvalidParams, `${method} ${JSON.stringify(params)}: ${error.message}`);
        assert.match(error.message, message);
        return true;
      });
    }
    assert.equal(fs.existsSync(runDir), false);
    // The same entry accepts one of them.
    const card = await connection.sendRequest(InspectRequest.type, { task: 'reverse', config: { taskSize: 50 } });
    assert.deepEqual(card.source, { task: 'reverse' });
  });
});

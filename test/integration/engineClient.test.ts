/**
 * The engine client in the real extension host: it forks the packaged dist/engine.js the way
 * the extension does and speaks the protocol with it. Its own client instance, so the
 * extension's engine stays unstarted (extension.test.ts checks that activation does not start one).
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { EngineClient, EngineExit } from '../../src/extension/engineClient/engineClient';
import { EngineErrorCode, ProgressEvent, TrainResult } from '../../src/shared/protocol';
import { EXTENSION_ID, isAlive, LONG, nextEvent, readManifest, tempDir, TINY, until } from './helpers';

describe('EngineClient (child process, JSON-RPC over IPC)', function () {
  this.timeout(120_000);
  let client: EngineClient;
  let log: vscode.LogOutputChannel;
  let root: string;
  const exits: EngineExit[] = [];
  let trained: string;

  before(() => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    log = vscode.window.createOutputChannel('Seq2Seq Lab (engine client test)', { log: true });
    client = new EngineClient({ enginePath: path.join(ext.extensionPath, 'dist', 'engine.js'), log, backend: () => 'auto' });
    client.onDidExit(e => exits.push(e));
    root = tempDir('client');
  });

  after(() => {
    client.dispose();
    log.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('starts lazily and says hello with its backend and the built-in tasks', async () => {
    assert.equal(client.running, false, 'no engine before the first request');
    const hello = await client.hello();
    assert.equal(client.running, true);
    assert.ok(client.pid && isAlive(client.pid), 'the engine process runs');
    assert.match(hello.backend, /^(tensorflow|wasm|cpu)$/);
    assert.match(hello.engineVersion, /\d+\.\d+/);
    assert.ok(hello.tasks.some(t => t.name === 'dates'), `tasks: ${hello.tasks.map(t => t.name).join(', ')}`);
  });

  it('trains a tiny run through the protocol, with progress notifications', async () => {
    trained = path.join(root, 'tiny');
    const events: ProgressEvent[] = [];
    const sub = client.onProgress(p => {
      assert.equal(p.runDir, trained);
      events.push(p.event);
    });
    let result: TrainResult;
    try {
      result = await client.train({ runDir: trained, task: 'dates', config: TINY });
    } finally {
      sub.dispose();
    }
    assert.equal(result.state, 'completed');
    assert.equal(result.run, trained);
    const kinds = new Set(events.map(e => e.kind));
    for (const kind of ['start', 'step', 'eval', 'checkpoint'] as const) assert.ok(kinds.has(kind), `a ${kind} event (got ${[...kinds].join(', ')})`);
    const steps = events.filter((e): e is Extract<ProgressEvent, { kind: 'step' }> => e.kind === 'step');
    assert.ok(steps.every(s => Number.isFinite(s.loss) && s.loss > 0), 'every step has a finite loss');
    assert.equal(readManifest(trained).state, 'completed');
    assert.ok(fs.existsSync(path.join(trained, 'checkpoints', 'best.ckpt')));
  });

  it('translates with attention of shape [output tokens][source tokens]', async () => {
    const lines = ['march 3 2021', 'january 15 1999'];
    const { translations } = await client.translate({ modelDir: trained, lines });
    assert.equal(translations.length, 2);
    translations.forEach((t, i) => {
      assert.equal(t.source, lines[i]);
      assert.equal(t.sourceTokens.join(''), lines[i], 'dates tokenizes characters');
      assert.equal(t.probabilities.length, t.tokens.length);
      assert.equal(t.attention.length, t.tokens.length, 'one attention row per output token');
      for (const row of t.attention) {
        assert.equal(row.length, t.sourceTokens.length, 'one weight per source token');
        assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-3, 'each row is a distribution');
      }
    });
  });

  it('rejects a bad configuration with EngineRequestError(BadConfig)', async () => {
    await assert.rejects(
      // 0 is auto now (decided from the data): a negative size is what no corpus makes valid.
      client.train({ runDir: path.join(root, 'bad'), task: 'dates', config: { hiddenSize: -1 } }),
      (e: { kind?: string; code?: number; message: string }) => {
        assert.equal(e.kind, 'engineRequest');
        assert.equal(e.code, EngineErrorCode.BadConfig);
        assert.match(e.message, /hiddenSize/);
        return true;
      },
    );
  });

  it('cancelling the request stops training with a checkpoint and state cancelled', async () => {
    const runDir = path.join(root, 'cancel');
    const cancel = new vscode.CancellationTokenSource();
    const firstStep = nextEvent(client.onProgress, 'step');
    const training = client.train({ runDir, task: 'dates', config: LONG }, cancel.token);
    await firstStep;
    cancel.cancel();
    const result = await training;
    assert.equal(result.state, 'cancelled');
    assert.equal(readManifest(runDir).state, 'cancelled');
    assert.ok(fs.existsSync(path.join(runDir, 'checkpoints', 'last.ckpt')), 'a resumable checkpoint');
    assert.ok(result.steps < 1000, `stopped early (${result.steps} steps)`);
  });

  it('a killed engine rejects the request with EngineCrashedError; the next request starts a fresh engine', async () => {
    const runDir = path.join(root, 'killed');
    const firstStep = nextEvent(client.onProgress, 'step');
    const training = client.train({ runDir, task: 'dates', config: LONG });
    await firstStep;
    const pid = client.pid!;
    const exitsBefore = exits.length;
    process.kill(pid, 'SIGKILL');
    await assert.rejects(training, (e: { kind?: string; signal?: string }) => {
      assert.equal(e.kind, 'engineCrashed');
      assert.equal(e.signal, 'SIGKILL');
      return true;
    });
    assert.equal(exits.length, exitsBefore + 1);
    assert.deepEqual({ pid: exits.at(-1)!.pid, expected: exits.at(-1)!.expected }, { pid, expected: false });
    assert.equal(client.running, false);
    // The engine could not mark its own death: the manifest still says running, with the dead pid.
    assert.equal(readManifest(runDir).state, 'running');

    const { translations } = await client.translate({ modelDir: trained, lines: ['march 3 2021'] });
    assert.equal(translations.length, 1);
    assert.ok(client.pid && client.pid !== pid, 'a new engine process');
  });

  it('dispose kills the engine process', async () => {
    await client.hello();
    const pid = client.pid!;
    client.dispose();
    await until('the engine to exit', () => !isAlive(pid), 10_000);
    assert.equal(exits.at(-1)!.expected, true);
  });
});

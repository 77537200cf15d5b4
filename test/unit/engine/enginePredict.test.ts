/**
 * PredictRequest over the engine's JSON-RPC channel, as the diffs panel uses it: progress
 * notifications carry the request's progress id and count up to the split's size, and a
 * cancelled request stops between batches with RequestCancelled while the engine keeps working.
 */
import { strict as assert } from 'assert';
import { ChildProcess, execFileSync, fork } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, MessageConnection } from 'vscode-jsonrpc/node';
import { EngineErrorCode, HelloRequest, PredictProgressNotification, PredictRequest, TrainRequest } from '../../../src/shared/protocol';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('engine child process: PredictRequest', function () {
  this.timeout(300_000);
  let child: ChildProcess;
  let connection: MessageConnection;
  let dir: string;
  let runDir: string;
  const progress: PredictProgressNotification.Params[] = [];

  before(async () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--only=engine'], { cwd: ROOT, stdio: 'inherit' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-predict-rpc-'));
    child = fork(path.join(ROOT, 'dist', 'engine.js'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.onNotification(PredictProgressNotification.type, p => progress.push(p));
    connection.listen();
    await connection.sendRequest(HelloRequest.type, { backend: 'auto' });
    runDir = path.join(dir, 'run');
    // Half of 1,000 pairs for validation: 500 samples, 8 batches of 64.
    await connection.sendRequest(TrainRequest.type, { runDir, task: 'dates', config: { taskSize: 1000, validFraction: 0.5, testFraction: 0.1, epochs: 1, hiddenSize: 12, embeddingSize: 8, batchSize: 32, evalSamples: 16 } });
  });
  after(() => {
    connection?.dispose();
    child?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('predicts the validation split with progress under its id', async () => {
    const result = await connection.sendRequest(PredictRequest.type, { runDir, progressId: 'p1' });
    assert.equal(result.samples.length, 500);
    assert.equal(result.split, 'valid');
    assert.equal(result.checkpoint, 'best');
    const mine = progress.filter(p => p.progressId === 'p1');
    assert.deepEqual(mine.map(p => p.done), [0, 64, 128, 192, 256, 320, 384, 448, 500]);
    assert.ok(mine.every(p => p.total === 500));
    // Each notification carries the batch just decoded: together, the whole split in order.
    assert.deepEqual(mine.flatMap(p => p.samples).map(x => x.index), result.samples.map(x => x.index));
    assert.deepEqual(mine.flatMap(p => p.samples), result.samples);
  });

  it('stops when cancelled (RequestCancelled) and answers the next request', async () => {
    const source = new CancellationTokenSource();
    const first = new Promise<void>(resolve => {
      const listener = connection.onNotification(PredictProgressNotification.type, p => {
        if (p.progressId === 'p2' && p.done >= 64) {
          source.cancel();
          listener.dispose();
          resolve();
        }
      });
    });
    const pending = connection.sendRequest(PredictRequest.type, { runDir, progressId: 'p2' }, source.token);
    await first;
    await assert.rejects(pending, (e: unknown) => e instanceof ResponseError && e.code === -32800);
    assert.ok(progress.filter(p => p.progressId === 'p2').every(p => p.done < 500), 'it stopped before the end');
    const again = await connection.sendRequest(PredictRequest.type, { runDir, split: 'test', checkpoint: 'last', limit: 5 });
    assert.equal(again.samples.length, 5);
  });

  it('refuses bad params with InvalidParams', async () => {
    await assert.rejects(connection.sendRequest(PredictRequest.type, { runDir, split: 'train' as 'valid' }), (e: unknown) => e instanceof ResponseError && e.code === EngineErrorCode.InvalidParams);
  });
});

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, loadCheckpoint, saveCheckpoint, TrainingState } from '../../../src/engine/train/checkpoint';
import { useTestBackend } from './helpers';

const STATE: TrainingState = { step: 7, epoch: 1, batchInEpoch: 2, optimizerIterations: 7, best: { value: 0.5, step: 5 }, evaluationsWithoutImprovement: 1, elapsedSeconds: 3.5, targetTokens: 900 };

describe('checkpoint files', function () {
  before(useTestBackend);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-ckpt-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(file: string): void {
    const a = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const b = tf.tensor1d([-0.5]);
    saveCheckpoint(file, [['param:a', a], ['param:b', b]], STATE);
    a.dispose();
    b.dispose();
  }

  it('round-trips tensors and state exactly', () => {
    const file = path.join(dir, 'last.ckpt');
    write(file);
    const loaded = loadCheckpoint(file);
    assert.deepEqual(loaded.state, STATE);
    assert.deepEqual(Array.from(loaded.tensors.get('param:a')!.dataSync()), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(loaded.tensors.get('param:a')!.shape, [2, 3]);
    assert.deepEqual(Array.from(loaded.tensors.get('param:b')!.dataSync()), [-0.5]);
    loaded.tensors.forEach(t => t.dispose());
    assert.deepEqual(fs.readdirSync(dir), ['last.ckpt'], 'no temp files left');
  });

  const damage: Array<[string, (bytes: Buffer) => Buffer, RegExp]> = [
    ['truncated payload', b => b.subarray(0, b.length - 3), /truncated checkpoint/],
    ['truncated header', b => b.subarray(0, 20), /truncated checkpoint \(header/],
    ['flipped payload byte', b => { const c = Buffer.from(b); c[c.length - 1] ^= 0xff; return c; }, /checksum mismatch/],
    ['wrong magic', b => Buffer.concat([Buffer.from('NOTACKPT'), b.subarray(8)]), /bad magic/],
    ['empty file', () => Buffer.alloc(0), /bad magic/],
    ['garbled header', b => { const c = Buffer.from(b); c[14] = 0x7b; c[15] = 0x7b; return c; }, /invalid JSON|missing fields/],
  ];
  for (const [name, corrupt, expected] of damage) {
    it(`rejects a checkpoint with ${name}, naming the file`, () => {
      const file = path.join(dir, 'bad.ckpt');
      write(file);
      fs.writeFileSync(file, corrupt(fs.readFileSync(file)));
      assert.throws(() => loadCheckpoint(file), (error: unknown) => error instanceof CheckpointError && expected.test((error as Error).message) && (error as Error).message.startsWith(file));
    });
  }

  it('a missing checkpoint is reported as not found', () => {
    assert.throws(() => loadCheckpoint(path.join(dir, 'nope.ckpt')), /nope\.ckpt: checkpoint not found/);
  });

  it('a failed write keeps the previous checkpoint intact', () => {
    const file = path.join(dir, 'last.ckpt');
    write(file);
    const before = fs.readFileSync(file);
    // Make the rename target a non-empty directory so the final rename fails.
    const blocked = path.join(dir, 'blocked.ckpt');
    fs.mkdirSync(path.join(blocked, 'inside'), { recursive: true });
    const t = tf.tensor1d([9]);
    assert.throws(() => saveCheckpoint(blocked, [['param:x', t]], STATE));
    t.dispose();
    assert.deepEqual(fs.readFileSync(file), before);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['blocked.ckpt', 'last.ckpt']);
  });
});

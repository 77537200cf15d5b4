/**
 * Durability of a run directory under failures the user cannot prevent:
 * - the disk fills up (or a write fails) while a checkpoint is written: the run stops with a
 *   message naming the file and the reason, and the previous checkpoint is intact and loadable;
 * - a damaged manifest, checkpoint or metrics line: resuming fails with an error naming the file
 *   and what is wrong, the damaged file is left exactly as it was (nothing is "repaired"), and
 *   the host still lists the run (as damaged, with the reason) next to the healthy ones.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadCheckpoint } from '../../../src/engine/train/checkpoint';
import { RunDirectory } from '../../../src/engine/train/runDir';
import { trainRun } from '../../../src/engine/train/trainer';
import { releaseModel } from '../../../src/engine/inference';
import { inspectManifest } from '../../../src/extension/runs/manifest';
import type { Seq2SeqConfig } from '../../../src/shared/config';
import { useTestBackend } from './helpers';

const SMALL: Partial<Seq2SeqConfig> = {
  taskSize: 160, embeddingSize: 8, hiddenSize: 8, batchSize: 16, epochs: 2, evalSamples: 4, patience: 0,
  maxDecodeLength: 12, validFraction: 0.1, testFraction: 0.1,
};

// The live fs module object: atomic.ts calls through it, so replacing openSync here injects the failure there.
const liveFs: typeof fs = require('fs');

function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

describe('durability of run directories', function () {
  this.timeout(300_000);
  let backend: string;
  let root: string;
  before(async () => {
    backend = await useTestBackend();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-durable-'));
  });
  after(() => {
    releaseModel();
    fs.rmSync(root, { recursive: true, force: true });
  });

  for (const [code, reason] of [['ENOSPC', 'disk full'], ['EIO', 'I/O error']] as const) {
    it(`${code} while writing a checkpoint: the run stops naming the file and "${reason}", the previous checkpoint is intact`, async () => {
      const dir = path.join(root, `full-${code}`);
      const last = path.join(dir, 'checkpoints', 'last.ckpt');
      let previous: Buffer | undefined;
      let injected = 0;
      const originalOpen = liveFs.openSync;
      // The first last.ckpt (end of epoch 1) is written; the next one hits a full disk.
      liveFs.openSync = ((file: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode | null) => {
        if (String(file).includes(`${path.sep}.last.ckpt.`) && fs.existsSync(last)) {
          previous ??= fs.readFileSync(last);
          injected++;
          throw errno(code, 'injected failure');
        }
        return originalOpen(file, flags as fs.OpenMode, mode);
      }) as typeof fs.openSync;
      let error: unknown;
      try {
        await trainRun({ runDir: dir, data: { task: 'reverse' }, config: SMALL, backend });
      } catch (e) {
        error = e;
      } finally {
        liveFs.openSync = originalOpen;
      }
      console.log(`      ${code}: ${injected} checkpoint write(s) failed → ${error instanceof Error ? error.message : 'no error'}`);
      assert.equal(injected, 1);
      assert.ok(error instanceof Error, 'the run stops');
      assert.equal(error.message, `Could not write ${last}: ${reason} (${code})`);
      const manifest = new RunDirectory(dir).readManifest();
      assert.equal(manifest.state, 'failed');
      assert.equal(manifest.error, error.message, 'the manifest keeps the message');
      assert.deepEqual(fs.readFileSync(last), previous, 'the previous checkpoint is byte-identical');
      const loaded = loadCheckpoint(last);
      assert.ok(loaded.state.step > 0);
      loaded.tensors.forEach(t => t.dispose());
      assert.deepEqual(fs.readdirSync(path.join(dir, 'checkpoints')).filter(f => f.endsWith('.tmp')), [], 'no temporary file left behind');
    });
  }

  describe('damaged files', () => {
    let healthy: string;
    let template: string;
    before(async () => {
      // One cancelled (resumable) run, copied for each kind of damage, and a healthy neighbour.
      template = path.join(root, 'template');
      const result = await trainRun({ runDir: template, data: { task: 'reverse' }, config: SMALL, backend, stopAfterSteps: 12 });
      assert.equal(result.state, 'cancelled');
      assert.ok(new RunDirectory(template).readMetrics().length >= 1, 'the template has a metrics line to damage');
      healthy = path.join(root, 'runs', 'healthy');
      fs.cpSync(template, healthy, { recursive: true });
    });

    const damages: Array<{ what: string; file: string; damage: (text: Buffer) => Buffer; expected: RegExp }> = [
      { what: 'truncated manifest', file: 'manifest.json', damage: b => b.subarray(0, Math.floor(b.length / 2)), expected: /manifest\.json.*(truncated|end of|JSON)/i },
      { what: 'manifest that is not JSON', file: 'manifest.json', damage: () => Buffer.from('{"format": 1, state: running}\n'), expected: /manifest\.json.*(JSON|line 1)/i },
      { what: 'truncated checkpoint', file: path.join('checkpoints', 'last.ckpt'), damage: b => b.subarray(0, b.length - 10), expected: /last\.ckpt: truncated checkpoint/ },
      { what: 'checkpoint with a flipped byte', file: path.join('checkpoints', 'last.ckpt'), damage: b => { const c = Buffer.from(b); c[c.length - 5] ^= 0x55; return c; }, expected: /last\.ckpt: .*checksum mismatch/ },
      { what: 'metrics line cut in half', file: 'metrics.jsonl', damage: b => Buffer.from(`${b.toString('utf8').split('\n')[0].slice(0, 30)}\n`), expected: /metrics\.jsonl:1: not a JSON object/ },
      { what: 'metrics line of garbage', file: 'metrics.jsonl', damage: b => Buffer.concat([b, Buffer.from('\u0000\u0000garbage\n')]), expected: /metrics\.jsonl:\d+: not a JSON object/ },
    ];

    for (const { what, file, damage, expected } of damages) {
      it(`${what}: resuming names the file and the problem, the file is left as it was`, async () => {
        const dir = path.join(root, 'runs', what.replace(/\W+/g, '-'));
        fs.cpSync(template, dir, { recursive: true });
        const target = path.join(dir, file);
        fs.writeFileSync(target, damage(fs.readFileSync(target)));
        const damaged = fs.readFileSync(target);
        const before = new Map(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(f => fs.statSync(path.join(dir, f)).isFile()).map(f => [f, fs.readFileSync(path.join(dir, f))]));

        let message = '';
        await assert.rejects(trainRun({ runDir: dir, resume: true, backend }), (error: unknown) => {
          message = (error as Error).message;
          return true;
        });
        console.log(`      ${what}: ${message.split('\n')[0]}`);
        assert.ok(message.includes(target), `the message names ${target}: ${message}`);
        assert.match(message, expected);
        assert.deepEqual(fs.readFileSync(target), damaged, 'the damaged file was not rewritten');
        for (const [name, bytes] of before) {
          if (name === 'manifest.json' && file !== 'manifest.json') continue; // the engine records the failure there
          assert.deepEqual(fs.readFileSync(path.join(dir, name)), bytes, `${name} unchanged`);
        }

        // The host: a damaged manifest is listed with the reason, the healthy run reads as before.
        const inspected = await inspectManifest(dir);
        if (file === 'manifest.json') {
          assert.ok('problem' in inspected && inspected.problem.startsWith(path.join(dir, 'manifest.json')), JSON.stringify(inspected));
        } else {
          assert.ok('manifest' in inspected, JSON.stringify(inspected));
        }
        const neighbour = await inspectManifest(healthy);
        assert.ok('manifest' in neighbour && neighbour.manifest.state === 'cancelled');
      });
    }

    it('the healthy run next to the damaged ones still resumes to completion', async () => {
      const result = await trainRun({ runDir: healthy, resume: true, backend });
      assert.equal(result.state, 'completed');
    });
  });
});

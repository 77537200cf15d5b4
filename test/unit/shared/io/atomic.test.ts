/** Atomic writes, durable appends and JSON reading, including injected failures. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { appendLineDurable, FileOperationError, readJsonFile, writeFileAtomic } from '../../../../src/shared/io/atomic';

// The live module object: atomic.ts calls through it, so replacing a function here injects a
// failure there (a namespace import would only give us read-only getters).
const liveFs: typeof fs = require('fs');

function withPatched<K extends 'fsyncSync' | 'renameSync' | 'writeSync'>(name: K, replacement: (typeof fs)[K], body: () => void): void {
  const original = liveFs[name];
  liveFs[name] = replacement;
  try {
    body();
  } finally {
    liveFs[name] = original;
  }
}

function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

describe('io/atomic', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seq2seq-atomic-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Entries in the test directory other than the expected ones (i.e. leftover temp files). */
  const leftovers = (...expected: string[]): string[] => fs.readdirSync(dir).filter(name => !expected.includes(name));

  describe('writeFileAtomic', () => {
    it('round-trips text and bytes, replacing existing content', () => {
      const file = path.join(dir, 'config.json');
      writeFileAtomic(file, '{"a":1}\n');
      assert.equal(fs.readFileSync(file, 'utf8'), '{"a":1}\n');
      writeFileAtomic(file, 'ünïcødé ✓');
      assert.equal(fs.readFileSync(file, 'utf8'), 'ünïcødé ✓');
      const bytes = Uint8Array.from([0, 1, 2, 255]);
      writeFileAtomic(file, bytes);
      assert.deepEqual(new Uint8Array(fs.readFileSync(file)), bytes);
      writeFileAtomic(file, '');
      assert.equal(fs.readFileSync(file, 'utf8'), '');
      assert.deepEqual(leftovers('config.json'), []);
    });

    it('fails with the path and reason when the directory does not exist', () => {
      const file = path.join(dir, 'missing', 'config.json');
      assert.throws(() => writeFileAtomic(file, 'x'), (err: unknown) => {
        assert.ok(err instanceof FileOperationError);
        assert.equal(err.code, 'ENOENT');
        assert.ok(err.message.includes(file), err.message);
        assert.match(err.message, /does not exist/);
        return true;
      });
      assert.deepEqual(leftovers(), []);
    });

    it('leaves no temp file when the rename fails (target is a directory)', () => {
      const target = path.join(dir, 'target');
      fs.mkdirSync(target);
      fs.writeFileSync(path.join(target, 'inside.txt'), 'keep me');
      assert.throws(() => writeFileAtomic(target, 'new'), (err: unknown) => {
        assert.ok(err instanceof FileOperationError);
        assert.ok(err.message.includes(target), err.message);
        assert.ok(err.code === 'EISDIR' || err.code === 'EPERM' || err.code === 'ENOTEMPTY' || err.code === 'EEXIST', String(err.code));
        return true;
      });
      assert.deepEqual(leftovers('target'), []);
      assert.equal(fs.readFileSync(path.join(target, 'inside.txt'), 'utf8'), 'keep me');
    });

    it('disk full during fsync: old content intact, temp removed, message says "disk full"', () => {
      const file = path.join(dir, 'manifest.json');
      writeFileAtomic(file, 'old content');
      withPatched('fsyncSync', () => {
        throw errno('ENOSPC', 'no space left on device, fsync');
      }, () => {
        assert.throws(() => writeFileAtomic(file, 'new content that will not fit'), (err: unknown) => {
          assert.ok(err instanceof Error);
          assert.equal(err.message, `Could not write ${file}: disk full (ENOSPC)`);
          return true;
        });
      });
      assert.equal(fs.readFileSync(file, 'utf8'), 'old content');
      assert.deepEqual(leftovers('manifest.json'), []);
    });

    it('failure in the middle of writing: old content intact, temp removed', () => {
      const file = path.join(dir, 'weights.bin');
      writeFileAtomic(file, 'old');
      withPatched('writeSync', (() => {
        throw errno('EIO', 'i/o error, write');
      }) as typeof fs.writeSync, () => {
        assert.throws(() => writeFileAtomic(file, Uint8Array.from([1, 2, 3])), /Could not write .*weights\.bin: I\/O error \(EIO\)/);
      });
      assert.equal(fs.readFileSync(file, 'utf8'), 'old');
      assert.deepEqual(leftovers('weights.bin'), []);
    });

    it('completes short writes', () => {
      const file = path.join(dir, 'short.txt');
      const original = liveFs.writeSync;
      // Write at most 3 bytes per call, as a slow pipe or full disk may.
      withPatched('writeSync', ((fd: number, buffer: Uint8Array, offset: number, length: number) => original(fd, buffer, offset, Math.min(3, length))) as typeof fs.writeSync, () => {
        writeFileAtomic(file, 'abcdefghij');
      });
      assert.equal(fs.readFileSync(file, 'utf8'), 'abcdefghij');
    });
  });

  describe('appendLineDurable', () => {
    it('creates the file and appends one line per call', () => {
      const file = path.join(dir, 'metrics.jsonl');
      appendLineDurable(file, JSON.stringify({ step: 1 }));
      appendLineDurable(file, JSON.stringify({ step: 2 }));
      assert.equal(fs.readFileSync(file, 'utf8'), '{"step":1}\n{"step":2}\n');
    });

    it('rejects embedded line breaks, which would corrupt JSON lines', () => {
      const file = path.join(dir, 'metrics.jsonl');
      assert.throws(() => appendLineDurable(file, 'a\nb'), /line break/);
      assert.equal(fs.existsSync(file), false);
    });

    it('names the file and reason on failure', () => {
      const file = path.join(dir, 'nope', 'metrics.jsonl');
      assert.throws(() => appendLineDurable(file, '{}'), (err: unknown) => err instanceof FileOperationError && err.message.includes(file) && err.code === 'ENOENT');
    });
  });

  describe('readJsonFile', () => {
    const write = (name: string, text: string): string => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    };

    it('parses valid JSON (a leading byte-order mark is tolerated)', () => {
      assert.deepEqual(readJsonFile<{ a: number[] }>(write('ok.json', '{"a":[1,2]}'), 'config'), { a: [1, 2] });
      assert.deepEqual(readJsonFile(write('bom.json', '\ufeff{"b":true}'), 'config'), { b: true });
    });

    it('missing file', () => {
      const file = path.join(dir, 'absent.json');
      assert.throws(() => readJsonFile(file, 'run manifest'), (err: unknown) => err instanceof FileOperationError && err.message === `The run manifest file ${file} does not exist`);
    });

    it('empty file', () => {
      const file = write('empty.json', '');
      assert.throws(() => readJsonFile(file, 'vocabulary'), new RegExp(`The vocabulary file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is empty \\(0 bytes\\)`));
      assert.throws(() => readJsonFile(write('blank.json', ' \n'), 'vocabulary'), /is empty \(only whitespace\)/);
    });

    it('truncated file (position reported just after the last character)', () => {
      const file = write('cut.json', '{\n  "steps": [1, 2,\n');
      assert.throws(() => readJsonFile(file, 'run manifest'), /cut\.json is truncated: the JSON stops at line 2, column 18/);
    });

    it('invalid JSON with line and column', () => {
      const file = write('bad.json', '{\n  "a": 1,\n  "b": 2,\n}\n');
      assert.throws(() => readJsonFile(file, 'run configuration'), (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.ok(err.message.startsWith(`The run configuration file ${file} is not valid JSON`), err.message);
        assert.match(err.message, /at line 4, column 1/);
        return true;
      });
    });
  });
});

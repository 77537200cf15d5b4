/**
 * The threaded WASM build in Node (backend/wasmThreads.ts): it starts, really runs a 2-thread
 * XNNPACK pool (tfjs would cap it at one thread on a 2-core machine), and computes what the
 * cpu backend computes. In a child process: a process has one backend.
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';

describe('threaded WASM backend', function () {
  this.timeout(120000);

  it('starts from file paths, runs 2 threads, matches the cpu backend, and lets the process exit', () => {
    const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', path.join(__dirname, 'wasmThreadsChild.ts')], { encoding: 'utf8', cwd: path.join(__dirname, '../../../..'), stdio: ['ignore', 'pipe', 'pipe'], timeout: 100000 });
    const result = JSON.parse(out.trim().split('\n').pop()!);
    assert.equal(result.backend, 'wasm');
    assert.equal(result.wasmThreads, 2);
    assert.equal(result.pool, 2, 'XNNPACK pool size');
    assert.ok(result.maxDiff < 1e-5, `max difference to the cpu backend ${result.maxDiff}`);
  });
});

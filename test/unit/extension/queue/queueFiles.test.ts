/** queue.json and queue.lock on disk: round trip, a damaged file moved aside (not overwritten), one live owner at a time. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileQueueLease, fileQueueStore, QUEUE_FILE, QUEUE_LOCK_FILE } from '../../../../src/extension/queue/queueFiles';

describe('queue files', () => {
  let dir: string;
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-queue-'));
    logs.splice(0);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('saves and loads the queue; nothing saved yet is undefined; no temporary file is left', async () => {
    const store = fileQueueStore(() => path.join(dir, 'runs'), log);
    assert.equal(await store.load(), undefined);
    const value = { version: 1 as const, items: [{ id: 'a', request: { task: 'dates', config: { hiddenSize: 8 } } }] };
    await store.save(value);
    assert.deepEqual(await store.load(), value);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'runs')), [QUEUE_FILE]);
  });

  it('a queue.json that does not parse is moved aside with a log line and the queue starts empty', async () => {
    fs.writeFileSync(path.join(dir, QUEUE_FILE), '{"version":1,"items":[');
    const store = fileQueueStore(() => dir, log);
    assert.equal(await store.load(), undefined);
    const aside = fs.readdirSync(dir).filter(f => f.startsWith(`${QUEUE_FILE}.damaged-`));
    assert.equal(aside.length, 1);
    assert.equal(fs.readFileSync(path.join(dir, aside[0]), 'utf8'), '{"version":1,"items":[', 'the damaged text is kept');
    assert.ok(logs.some(l => /is not valid JSON .* moved to/.test(l)));
  });

  it('the lease: taken when free, stale or ours; refused while another live process holds it', async () => {
    const alive = new Set<number>([4242]);
    const lease = fileQueueLease(() => dir, pid => alive.has(pid));
    assert.equal(await lease.acquire(), true);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, QUEUE_LOCK_FILE), 'utf8')), { pid: process.pid });
    assert.equal(await lease.acquire(), true, 'ours already');
    fs.writeFileSync(path.join(dir, QUEUE_LOCK_FILE), JSON.stringify({ pid: 4242 }));
    assert.equal(await lease.acquire(), false, 'another live window owns the queue');
    alive.delete(4242);
    assert.equal(await lease.acquire(), true, 'its process is gone: taken over');
    fs.writeFileSync(path.join(dir, QUEUE_LOCK_FILE), 'garbage');
    assert.equal(await lease.acquire(), true);
  });
});

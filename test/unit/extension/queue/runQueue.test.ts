/**
 * The run queue with a fake trainer and store: one run at a time in order, every change saved,
 * a failing run (or one that cannot start) does not stop the queue, a run started by hand is
 * waited for, reorder/remove, and a "reload" (a new queue over the saved file) resumes the run
 * that was training and then goes on.
 */
import { strict as assert } from 'assert';
import type { LabelledRunRequest } from '../../../../src/shared/dataChoice';
import { parseQueueFile, QueueExecutor, QueueFile, QueueStore, RunQueue, StartedRun } from '../../../../src/extension/queue/runQueue';

interface FakeRun { runDir: string; finish(ok: boolean, error?: string): void }

class FakeTrainer implements QueueExecutor {
  readonly started: string[] = [];
  readonly resumed: string[] = [];
  /** The runs training now, in the order they started. */
  readonly runs: FakeRun[] = [];
  failNextStart: string | undefined;
  resumable = new Set<string>();
  /** The most runs that trained at once. */
  peak = 0;
  private endWaiters: Array<() => void> = [];
  private counter = 0;

  constructor(private readonly slots = 1) {}

  /** The run that started first of those training. */
  get current(): FakeRun | undefined {
    return this.runs[0];
  }
  active(): number {
    return this.runs.length;
  }
  whenOneEnds(): Promise<unknown> {
    return this.runs.length ? new Promise<void>(resolve => this.endWaiters.push(resolve)) : Promise.resolve();
  }
  start(request: LabelledRunRequest): StartedRun {
    if (this.runs.length >= this.slots) throw new Error('A run is already training');
    if (this.failNextStart) {
      const message = this.failNextStart;
      this.failNextStart = undefined;
      throw new Error(message);
    }
    this.started.push(String(request.config.hiddenSize));
    return this.begin(`/runs/run-${++this.counter}`);
  }
  async resume(runDir: string): Promise<StartedRun | undefined> {
    if (!this.resumable.has(runDir)) return undefined;
    this.resumed.push(runDir);
    return this.begin(runDir);
  }
  /** A run started outside the queue (the form's Start training). */
  startByHand(): FakeRun {
    this.begin('/runs/by-hand');
    return this.runs[this.runs.length - 1];
  }
  private begin(runDir: string): StartedRun {
    let finish!: (value: { ok: boolean; error?: string }) => void;
    const done = new Promise<{ ok: boolean; error?: string }>(resolve => (finish = resolve));
    const run: FakeRun = {
      runDir,
      finish: (ok, error) => {
        this.runs.splice(this.runs.indexOf(run), 1);
        finish({ ok, error });
        for (const waiter of this.endWaiters.splice(0)) waiter();
      },
    };
    this.runs.push(run);
    this.peak = Math.max(this.peak, this.runs.length);
    return { runDir, done };
  }
}

class MemoryStore implements QueueStore {
  saved: QueueFile | undefined;
  writes = 0;
  constructor(initial?: unknown) {
    this.saved = initial as QueueFile | undefined;
  }
  async load(): Promise<unknown> {
    return this.saved === undefined ? undefined : JSON.parse(JSON.stringify(this.saved));
  }
  async save(value: QueueFile): Promise<void> {
    this.writes++;
    this.saved = JSON.parse(JSON.stringify(value));
  }
}

const logs: string[] = [];
const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
const request = (hiddenSize: number): { request: LabelledRunRequest } => ({ request: { task: 'dates', config: { hiddenSize } } });
const tick = () => new Promise(resolve => setImmediate(resolve));
/** Lets every run end (the queue starting the next ones), until the queue is idle. */
async function finishAll(trainer: FakeTrainer, queue: RunQueue): Promise<void> {
  while (trainer.runs.length) {
    trainer.runs[0].finish(true);
    for (let i = 0; i < 3; i++) await tick();
  }
  await queue.idle;
}
const savedSizes = (store: MemoryStore) => store.saved!.items.map(i => i.request.config.hiddenSize);

describe('run queue', () => {
  beforeEach(() => logs.splice(0));

  it('starts queued runs one after another, in order, saving after each change', async () => {
    const trainer = new FakeTrainer();
    const store = new MemoryStore();
    const queue = new RunQueue(store, trainer, log);
    await queue.restore();
    await queue.add([request(8), request(16), request(32)]);
    await tick();
    assert.deepEqual(trainer.started, ['8']);
    assert.equal(queue.running, queue.list()[0].id);
    assert.equal(store.saved!.items[0].runDir, '/runs/run-1');
    assert.deepEqual(savedSizes(store), [8, 16, 32]);
    trainer.current!.finish(true);
    await tick();
    await tick();
    assert.deepEqual(trainer.started, ['8', '16']);
    assert.deepEqual(savedSizes(store), [16, 32]);
    trainer.current!.finish(true);
    await tick();
    await tick();
    trainer.current!.finish(true);
    await queue.idle;
    assert.deepEqual(trainer.started, ['8', '16', '32']);
    assert.deepEqual(store.saved!.items, []);
    assert.equal(queue.running, undefined);
  });

  it('a run that fails, or cannot start, does not stop the queue', async () => {
    const trainer = new FakeTrainer();
    const store = new MemoryStore();
    const queue = new RunQueue(store, trainer, log);
    trainer.failNextStart = 'hiddenSize must be between 0 and 4096';
    await queue.add([request(99999), request(16), request(32)]);
    await tick();
    await tick();
    assert.deepEqual(trainer.started, ['16'], 'the first could not start; the second started');
    assert.ok(logs.some(l => /could not start dates: hiddenSize must be between/.test(l)));
    trainer.current!.finish(false, 'the engine stopped unexpectedly');
    await tick();
    await tick();
    assert.deepEqual(trainer.started, ['16', '32']);
    assert.ok(logs.some(l => /run-1 did not complete \(the engine stopped unexpectedly\); going on/.test(l)));
    trainer.current!.finish(true);
    await queue.idle;
    assert.deepEqual(store.saved!.items, []);
  });

  it('waits for a run started by hand before starting the next', async () => {
    const trainer = new FakeTrainer();
    const queue = new RunQueue(new MemoryStore(), trainer, log);
    const byHand = trainer.startByHand();
    await queue.add([request(8)]);
    await tick();
    assert.deepEqual(trainer.started, []);
    byHand.finish(true);
    await tick();
    await tick();
    assert.deepEqual(trainer.started, ['8']);
  });

  it('reorder and remove waiting runs; the running one stays first and cannot be removed', async () => {
    const trainer = new FakeTrainer();
    const store = new MemoryStore();
    const queue = new RunQueue(store, trainer, log);
    const [a, b, c, d] = await queue.add([request(1), request(2), request(3), request(4)]);
    await tick();
    assert.equal(queue.running, a.id);
    assert.equal(await queue.move(b.id, -1), false, 'cannot move above the running run');
    assert.equal(await queue.move(a.id, 1), false, 'the running run does not move');
    assert.equal(await queue.move(d.id, -1), true);
    assert.equal(await queue.move(d.id, 1), true);
    assert.equal(await queue.move(d.id, 1), false, 'already last');
    assert.equal(await queue.move(c.id, -1), true);
    assert.deepEqual(savedSizes(store), [1, 3, 2, 4]);
    assert.equal(await queue.remove(a.id), false);
    assert.equal(await queue.remove(b.id), true);
    assert.equal(await queue.remove(b.id), false);
    assert.deepEqual(savedSizes(store), [1, 3, 4]);
    trainer.current!.finish(true);
    await tick();
    await tick();
    assert.deepEqual(trainer.started, ['1', '3']);
    await queue.clear();
    assert.deepEqual(savedSizes(store), [3], 'clear keeps the running run');
  });

  it('a reload mid-run: the new window resumes the interrupted run from its directory, then goes on', async () => {
    const trainer = new FakeTrainer();
    const store = new MemoryStore();
    const before = new RunQueue(store, trainer, log);
    await before.add([request(8), request(16)]);
    await tick();
    assert.equal(store.saved!.items[0].runDir, '/runs/run-1');
    // The window goes away: the queue is disposed, then the engine dies with the run.
    before.dispose();
    trainer.current!.finish(false, 'engine crashed');
    await tick();
    assert.deepEqual(savedSizes(store), [8, 16], 'nothing dropped by the reload');

    const after = new FakeTrainer();
    after.resumable.add('/runs/run-1');
    const queue = new RunQueue(store, after, log);
    await queue.restore();
    await tick();
    assert.deepEqual(after.resumed, ['/runs/run-1']);
    assert.deepEqual(after.started, []);
    after.current!.finish(true);
    await tick();
    await tick();
    assert.deepEqual(after.started, ['16']);
    after.current!.finish(true);
    await queue.idle;
    assert.deepEqual(store.saved!.items, []);
  });

  it('a reload before the run directory held a run starts it afresh', async () => {
    const store = new MemoryStore({ version: 1, items: [{ id: 'x', request: { task: 'dates', config: { hiddenSize: 8 } }, runDir: '/runs/gone' }] });
    const trainer = new FakeTrainer();
    const queue = new RunQueue(store, trainer, log);
    await queue.restore();
    await tick();
    assert.deepEqual(trainer.started, ['8']);
    assert.equal(store.saved!.items[0].runDir, '/runs/run-1');
  });

  it('a damaged saved queue: bad items are dropped with a reason, good ones kept; a non-queue file is ignored', async () => {
    const parsed = parseQueueFile({ version: 1, items: [
      { id: 'a', request: { task: 'dates', config: {} } },
      { id: 'b', request: { config: {} } },
      { id: 'a', request: { task: 'dates', config: {} } },
      { id: 'c', request: { task: 'dates', dataPath: '/x.tsv', config: {} } },
      'junk',
      { id: 'd', request: { dataPath: '/x.tsv', config: { cell: 'gru' } }, sweep: { id: 's1', trial: 2 } },
    ] });
    assert.deepEqual(parsed.items.map(i => i.id), ['a', 'd']);
    assert.deepEqual(parsed.problems, ['item 2 is not a queued run', 'item 3 is not a queued run', 'item 4 is not a queued run', 'item 5 is not a queued run']);
    assert.deepEqual(parseQueueFile({ items: [] }).problems, ['not a queue file (version 1 with items)']);
    const store = new MemoryStore({ version: 1, items: [{ id: 'a', request: { task: 'dates', config: { hiddenSize: 8 } } }, 7] });
    const trainer = new FakeTrainer();
    const queue = new RunQueue(store, trainer, log);
    await queue.restore();
    assert.ok(logs.some(l => /item 2 is not a queued run \(dropped\)/.test(l)));
    await tick();
    assert.deepEqual(trainer.started, ['8']);
  });

  it('a store that fails to save is logged and the queue goes on', async () => {
    const store = new MemoryStore();
    store.save = async () => {
      throw new Error('EACCES: permission denied');
    };
    const trainer = new FakeTrainer();
    const queue = new RunQueue(store, trainer, log);
    await queue.add([request(8)]);
    await tick();
    assert.deepEqual(trainer.started, ['8']);
    assert.ok(logs.some(l => /could not save the queue: EACCES/.test(l)));
  });

  it('a window without the lease starts nothing, shows the saved queue, and takes over once the lease is free', async () => {
    const store = new MemoryStore({ version: 1, items: [{ id: 'a', request: { task: 'dates', config: { hiddenSize: 8 } }, runDir: '/runs/other' }] });
    const trainer = new FakeTrainer();
    let free = false;
    const queue = new RunQueue(store, trainer, log, { acquire: async () => free }, 5);
    await queue.restore();
    await tick();
    assert.deepEqual(trainer.started, []);
    // The owner window finished that run and went on: this window sees it on its next look.
    store.saved = { version: 1, items: [{ id: 'b', request: { task: 'dates', config: { hiddenSize: 16 } } }] };
    await new Promise(resolve => setTimeout(resolve, 20));
    assert.deepEqual(queue.list().map(i => i.id), ['b']);
    assert.deepEqual(trainer.started, []);
    free = true;
    await new Promise(resolve => setTimeout(resolve, 20));
    assert.deepEqual(trainer.started, ['16']);
    queue.dispose();
  });
  it('concurrency 2: two runs train at once, the next starts as soon as either ends, in queue order', async () => {
    const trainer = new FakeTrainer(2);
    const store = new MemoryStore();
    const queue = new RunQueue(store, trainer, log, undefined, undefined, () => 2);
    const [a, b, c] = await queue.add([request(1), request(2), request(3), request(4)]);
    await tick();
    await tick();
    assert.deepEqual(trainer.started, ['1', '2'], 'two started, the others wait');
    assert.ok(queue.isRunning(a.id) && queue.isRunning(b.id) && !queue.isRunning(c.id));
    assert.deepEqual(store.saved!.items.map(i => i.runDir), ['/runs/run-1', '/runs/run-2', undefined, undefined]);
    assert.equal(await queue.move(c.id, -1), false, 'cannot move above the running runs');
    assert.equal(await queue.remove(b.id), false, 'a running run cannot be removed');
    trainer.runs[1].finish(true); // the second ends first
    await tick();
    await tick();
    await tick();
    assert.deepEqual(trainer.started, ['1', '2', '3']);
    assert.deepEqual(savedSizes(store), [1, 3, 4]);
    await finishAll(trainer, queue);
    assert.deepEqual(trainer.started, ['1', '2', '3', '4']);
    assert.equal(trainer.peak, 2, 'never more than two at once');
    assert.deepEqual(store.saved!.items, []);
  });

  it('concurrency 2: a failing run frees its slot and the queue goes on; a run started by hand takes a slot', async () => {
    const trainer = new FakeTrainer(2);
    const store = new MemoryStore();
    const queue = new RunQueue(store, trainer, log, undefined, undefined, () => 2);
    const byHand = trainer.startByHand();
    await queue.add([request(1), request(2), request(3)]);
    await tick();
    await tick();
    assert.deepEqual(trainer.started, ['1'], 'one slot is the hand-started run\'s');
    trainer.runs[1].finish(false, 'diverged');
    await tick();
    await tick();
    await tick();
    assert.ok(logs.some(l => /run-1 did not complete \(diverged\); going on/.test(l)));
    assert.deepEqual(trainer.started, ['1', '2']);
    byHand.finish(true);
    await tick();
    await tick();
    await tick();
    assert.deepEqual(trainer.started, ['1', '2', '3']);
    assert.equal(trainer.runs.length, 2);
    trainer.runs[0].finish(true);
    trainer.runs[0].finish(true);
    await queue.idle;
    assert.deepEqual(store.saved!.items, []);
  });

  it('concurrency 1 holds with a trainer that could take more: one run at a time', async () => {
    const trainer = new FakeTrainer(4);
    const queue = new RunQueue(new MemoryStore(), trainer, log, undefined, undefined, () => 1);
    await queue.add([request(1), request(2), request(3)]);
    await tick();
    await tick();
    assert.deepEqual(trainer.started, ['1']);
    await finishAll(trainer, queue);
    assert.deepEqual(trainer.started, ['1', '2', '3']);
    assert.equal(trainer.peak, 1);
  });
});

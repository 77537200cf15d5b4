/**
 * The run queue: runs waiting to train, started in order as training slots become free — one
 * at a time by default, up to `concurrency()` at once (the `seq2seqLab.queue.concurrency`
 * setting; runs started by hand take slots too).
 *
 * Guarantees: every change is saved (a `QueueStore`: `queue.json` in the runs directory,
 * written atomically) before the next step, so a window reload loses nothing — the run that
 * was training when the window went away is resumed from its checkpoint, then the rest follow;
 * a run that fails (or cannot start) is dropped from the queue with a log line and the next one
 * starts; a run started by hand meanwhile is waited for. Pure: no `vscode` here (the executor
 * and store are injected), so the unit tests drive it with fakes.
 */
import { dataChoiceProblem, type LabelledRunRequest } from '../../shared/dataChoice';
import type { MetricKey } from '../../shared/metrics';
import { isRecord } from '../../shared/validation';


export interface QueuedRun {
  id: string;
  request: LabelledRunRequest;
  /** The run directory once it started (a reload mid-run resumes it from there). */
  runDir?: string;
  /** The sweep it is a trial of: the validation metric it compares (default loss) and whether the median rule watches it (default on). */
  sweep?: { id: string; trial: number; metric?: MetricKey; prune?: boolean; settings?: Record<string, number | string | boolean> };
}

/** Where the queue is kept. `load` returns undefined when nothing was saved yet. */
export interface QueueStore {
  load(): Promise<unknown>;
  save(value: QueueFile): Promise<void>;
}

export interface QueueFile {
  version: 1;
  items: QueuedRun[];
}

/** A started run: its directory and how it ended. */
export interface StartedRun {
  runDir: string;
  done: Promise<{ ok: boolean; error?: string }>;
}

/** The trainer, as the queue sees it. */
export interface QueueExecutor {
  /** How many runs train now (the queue's and any started by hand). */
  active(): number;
  /** Resolves when a training ends (at once when none trains). */
  whenOneEnds(): Promise<unknown>;
  /** Starts a new run (a sweep's trial: `sweep` says which); throws when it cannot. */
  start(request: LabelledRunRequest, sweep?: QueuedRun['sweep']): StartedRun | Promise<StartedRun>;
  /** Continues a run a reload interrupted; undefined when `runDir` holds no run to resume (then it starts afresh). */
  resume(runDir: string, sweep?: QueuedRun['sweep']): Promise<StartedRun | undefined>;
}

/**
 * Who may start the queue's runs: one window (extension host) at a time. A window that does not
 * hold the lease shows the saved queue and asks again later (a window reloaded while the old
 * extension host still trains, or a second window on the same runs directory).
 */
export interface QueueLease {
  acquire(): Promise<boolean>;
}

export interface QueueLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Reads a saved queue; anything malformed is dropped item by item (with the reason), never the whole file. */
export function parseQueueFile(value: unknown): { items: QueuedRun[]; problems: string[] } {
  const problems: string[] = [];
  if (value === undefined) return { items: [], problems };
  if (!isRecord(value) || value.version !== 1 || !Array.isArray(value.items)) return { items: [], problems: ['not a queue file (version 1 with items)'] };
  const items: QueuedRun[] = [];
  const ids = new Set<string>();
  value.items.forEach((raw, index) => {
    const request = isRecord(raw) ? raw.request : undefined;
    const ok = isRecord(raw) && typeof raw.id === 'string' && !ids.has(raw.id) && isRecord(request) && isRecord(request.config)
      && dataChoiceProblem(request) === undefined
      && (request.label === undefined || typeof request.label === 'string') && (raw.runDir === undefined || typeof raw.runDir === 'string')
      && (raw.sweep === undefined || (isRecord(raw.sweep) && typeof raw.sweep.id === 'string' && typeof raw.sweep.trial === 'number'));
    if (!ok) {
      problems.push(`item ${index + 1} is not a queued run`);
      return;
    }
    ids.add(raw.id as string);
    items.push(raw as unknown as QueuedRun);
  });
  return { items, problems };
}

export class RunQueue {
  private items: QueuedRun[] = [];
  /** The items training now, in the order they started (always the first items of the queue). */
  private readonly runningIds = new Set<string>();
  /** Each running item's end handling (drop it, log a failure). */
  private readonly tracking = new Set<Promise<void>>();
  private pumping = false;
  private pumpAgain = false;
  private disposed = false;
  private saving: Promise<void> = Promise.resolve();
  private nextId = 1;
  private readonly listeners = new Set<() => void>();
  /** Resolves when the pump loop is idle (for tests and shutdown). */
  private pumpDone: Promise<void> = Promise.resolve();

  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: QueueStore,
    private readonly executor: QueueExecutor,
    private readonly log: QueueLog,
    private readonly lease: QueueLease = { acquire: async () => true },
    /** How long a window without the lease waits before asking again. */
    private readonly retryMs = 10_000,
    /** How many of the queue's runs may train at once (read before each start; at least 1). */
    private readonly concurrency: () => number = () => 1,
  ) {}

  /** Reads the saved queue and starts working through it. */
  async restore(): Promise<void> {
    let saved: unknown;
    try {
      saved = await this.store.load();
    } catch (error) {
      this.log.error(`queue: could not read the saved queue: ${(error as Error).message}`);
      return;
    }
    const { items, problems } = parseQueueFile(saved);
    for (const problem of problems) this.log.warn(`queue: ${problem} (dropped)`);
    this.items = [...items, ...this.items];
    this.changed();
    if (problems.length) await this.save();
    this.pump();
  }

  /** The queue in order, the running one first. */
  list(): readonly QueuedRun[] {
    return this.items;
  }

  /** The id of the item that started training first of those training now. */
  get running(): string | undefined {
    return this.runningIds.values().next().value;
  }

  /** Whether this item trains now. */
  isRunning(id: string): boolean {
    return this.runningIds.has(id);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Appends runs (a sweep's trials: several) and starts the queue if it is idle. */
  async add(requests: Array<{ request: LabelledRunRequest; sweep?: QueuedRun['sweep'] }>): Promise<QueuedRun[]> {
    const added = requests.map(r => ({ id: this.freshId(), request: r.request, ...(r.sweep ? { sweep: r.sweep } : {}) }));
    this.items.push(...added);
    this.changed();
    await this.save();
    this.pump();
    return added;
  }

  /** Removes a waiting run; the running one is stopped with Stop Training, not here. Returns false when not removable. */
  async remove(id: string): Promise<boolean> {
    if (this.runningIds.has(id) || !this.items.some(i => i.id === id)) return false;
    this.items = this.items.filter(i => i.id !== id);
    this.changed();
    await this.save();
    return true;
  }

  /** Moves a waiting run up (−1) or down (+1) among the waiting ones. Returns false when it cannot move. */
  async move(id: string, delta: -1 | 1): Promise<boolean> {
    const index = this.items.findIndex(i => i.id === id);
    const target = index + delta;
    const firstMovable = this.runningIds.size;
    if (index < firstMovable || target < firstMovable || target >= this.items.length) return false;
    [this.items[index], this.items[target]] = [this.items[target], this.items[index]];
    this.changed();
    await this.save();
    return true;
  }

  /** Removes every waiting run. */
  async clear(): Promise<void> {
    this.items = this.items.filter(i => this.runningIds.has(i.id));
    this.changed();
    await this.save();
  }

  /** Resolves once the queue has nothing left to start and none of its runs trains (tests). */
  get idle(): Promise<void> {
    return (async () => {
      while (this.pumping || this.tracking.size) await Promise.all([this.pumpDone, ...this.tracking]);
    })();
  }

  /** Looks for work again (the concurrency setting grew). */
  wake(): void {
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    if (this.retry) clearTimeout(this.retry);
    this.listeners.clear();
  }

  private freshId(): string {
    let id: string;
    do id = `q${Date.now().toString(36)}-${this.nextId++}`; while (this.items.some(i => i.id === id));
    return id;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Saves in order: each write starts after the one before, so the file ends as the latest state. */
  private save(): Promise<void> {
    const snapshot: QueueFile = { version: 1, items: this.items.map(i => ({ ...i })) };
    this.saving = this.saving.then(() => this.store.save(snapshot)).catch(error => this.log.error(`queue: could not save the queue: ${(error as Error).message}`));
    return this.saving;
  }

  private pump(): void {
    if (this.disposed) return;
    if (this.pumping) {
      this.pumpAgain = true; // the loop may be on its way out: look once more after it
      return;
    }
    this.pumping = true;
    this.pumpAgain = false;
    this.pumpDone = this.loop().finally(() => {
      this.pumping = false;
      if (this.pumpAgain) this.pump();
    });
  }

  private async loop(): Promise<void> {
    while (!this.disposed) {
      const item = this.items.find(i => !this.runningIds.has(i.id));
      if (!item) return; // the running ones are dropped as they end
      const active = this.executor.active();
      if (active >= Math.max(1, Math.floor(this.concurrency()))) {
        await this.executor.whenOneEnds();
        continue;
      }
      if (!(await this.lease.acquire())) {
        // Another window trains this queue: show its saved state and ask again later.
        await this.reload();
        if (!this.disposed) this.retry = setTimeout(() => this.pump(), this.retryMs);
        return;
      }
      if (this.disposed || !this.items.includes(item)) continue;
      let started: StartedRun | undefined;
      try {
        if (item.runDir) started = await this.executor.resume(item.runDir, item.sweep);
        if (!started) started = await this.executor.start(item.request, item.sweep);
      } catch (error) {
        if (this.executor.active() > active) continue; // lost a race with a run started by hand: wait for it
        this.log.warn(`queue: could not start ${describe(item)}: ${(error as Error).message}; going on with the next run`);
        await this.drop(item);
        continue;
      }
      this.runningIds.add(item.id);
      item.runDir = started.runDir;
      this.changed();
      await this.save();
      const tracked = this.whenEnded(item, started).finally(() => this.tracking.delete(tracked));
      this.tracking.add(tracked);
    }
  }

  /** A started item's end: logged when it did not complete, then dropped; the queue goes on. */
  private async whenEnded(item: QueuedRun, started: StartedRun): Promise<void> {
    const outcome = await started.done.catch((error: Error) => ({ ok: false, error: error.message }));
    if (!outcome.ok) this.log.warn(`queue: ${started.runDir} did not complete${outcome.error ? ` (${outcome.error})` : ''}; going on with the next run`);
    if (this.disposed) return; // a window closing mid-run: the item stays saved with its runDir, to resume
    this.runningIds.delete(item.id);
    await this.drop(item);
    this.pump();
  }

  /** The saved queue replaces the one in memory (while another window owns it). */
  private async reload(): Promise<void> {
    try {
      this.items = parseQueueFile(await this.store.load()).items;
      this.changed();
    } catch (error) {
      this.log.error(`queue: could not read the saved queue: ${(error as Error).message}`);
    }
  }

  private async drop(item: QueuedRun): Promise<void> {
    this.items = this.items.filter(i => i.id !== item.id);
    this.changed();
    await this.save();
  }
}

/** An item in words, for log lines: its label or dataset and the swept settings. */
export function describe(item: QueuedRun): string {
  return item.request.label ?? item.request.task ?? item.request.dataPath ?? item.id;
}

/**
 * Where the queue lives on disk, next to the runs: `queue.json` (written atomically; a file that
 * does not parse is moved aside, never overwritten) and `queue.lock` (the pid of the extension
 * host that starts the queue's runs). No `vscode` here: unit-tested under Node.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../../shared/io/atomic';
import { isProcessAlive } from '../runs/liveness';
import type { QueueFile, QueueLease, QueueLog, QueueStore } from './runQueue';

export const QUEUE_FILE = 'queue.json';
/** Which extension host (pid) starts the queue's runs now. */
export const QUEUE_LOCK_FILE = 'queue.lock';

/** The lease is this process's while the lock names no other live process. */
export function fileQueueLease(directory: () => string, isAlive: (pid: number) => boolean = isProcessAlive): QueueLease {
  return {
    async acquire() {
      const file = path.join(directory(), QUEUE_LOCK_FILE);
      try {
        const owner = JSON.parse(await fsp.readFile(file, 'utf8')) as { pid?: unknown };
        if (typeof owner.pid === 'number' && owner.pid !== process.pid && isAlive(owner.pid)) return false;
      } catch {
        // No lock (or a damaged one): take it.
      }
      await fsp.mkdir(directory(), { recursive: true });
      writeFileAtomic(file, JSON.stringify({ pid: process.pid }) + '\n');
      return true;
    },
  };
}

/** `queue.json` in the runs directory; a file that does not parse is moved aside (never overwritten) and the queue starts empty. */
export function fileQueueStore(directory: () => string, log: QueueLog): QueueStore {
  const file = () => path.join(directory(), QUEUE_FILE);
  return {
    async load() {
      let text: string;
      try {
        text = await fsp.readFile(file(), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      try {
        return JSON.parse(text);
      } catch (error) {
        const aside = `${file()}.damaged-${Date.now()}`;
        await fsp.rename(file(), aside);
        log.error(`queue: ${file()} is not valid JSON (${(error as Error).message}); moved to ${aside}, starting with an empty queue`);
        return undefined;
      }
    },
    async save(value: QueueFile) {
      await fsp.mkdir(directory(), { recursive: true });
      writeFileAtomic(file(), JSON.stringify(value, null, 1) + '\n');
    },
  };
}

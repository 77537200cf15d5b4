/** Shared by the integration tests (bundled into each test file). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Seq2SeqConfig } from '../../src/shared/config';
import type { ProgressEvent } from '../../src/shared/protocol';
import type { Seq2SeqLabApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'seq2seq-lab.seq2seq-lab';

/** A run of `dates` that takes a few seconds and still evaluates and checkpoints. */
export const TINY: Partial<Seq2SeqConfig> = { taskSize: 300, epochs: 1, hiddenSize: 16, embeddingSize: 8, batchSize: 32, evalSamples: 20 };
/** A run long enough (minutes) to be stopped or killed in the middle. */
export const LONG: Partial<Seq2SeqConfig> = { taskSize: 3000, epochs: 50, hiddenSize: 16, embeddingSize: 8, batchSize: 16, evalSamples: 20, evalEverySteps: 20, patience: 0 };

export async function api(): Promise<Seq2SeqLabApi> {
  const ext = vscode.extensions.getExtension<Seq2SeqLabApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `seq2seq-it-${prefix}-`));
}

export function readManifest(runDir: string): { state: string; step: number; pid?: number; error?: string } {
  return JSON.parse(fs.readFileSync(path.join(runDir, 'manifest.json'), 'utf8'));
}

/** Resolves with the first progress event of `kind` an emitter sends (rejects after `ms`). */
export function nextEvent(
  onProgress: vscode.Event<{ runDir: string; event: ProgressEvent }>,
  kind: ProgressEvent['kind'],
  ms = 60_000,
): Promise<{ runDir: string; event: ProgressEvent }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no ${kind} event within ${ms} ms`));
    }, ms);
    const sub = onProgress(p => {
      if (p.event.kind !== kind) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(p);
    });
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

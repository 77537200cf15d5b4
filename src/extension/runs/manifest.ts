/**
 * The host's view of a run's manifest.json (written by the engine; the contract is shared/runDir.ts).
 * The host changes a manifest in one case only: a run whose engine died still says `running`,
 * and the host marks it `interrupted`. That write is atomic (shared/io/atomic.ts).
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import type { RunState } from '../../shared/protocol';
import { writeFileAtomic } from '../../shared/io/atomic';
import { type Manifest, RUN_FILES, RUN_STATES } from '../../shared/runDir';

export type { Manifest };

export type ManifestRead = { manifest: Manifest } | { missing: true } | { problem: string };

/** Reads `dir/manifest.json`, telling a missing file from a damaged one (named, with the reason). */
export async function inspectManifest(dir: string): Promise<ManifestRead> {
  const file = path.join(dir, RUN_FILES.manifest);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return { missing: true };
    return { problem: `${file}: ${(error as Error).message}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `${file}: not valid JSON (${(error as Error).message})` };
  }
  const m = value as Partial<Manifest> | null;
  if (!m || typeof m !== 'object' || m.format !== 1) return { problem: `${file}: not a run manifest (format is not 1)` };
  if (!RUN_STATES.includes(m.state as RunState)) return { problem: `${file}: unknown state ${JSON.stringify(m.state)}` };
  if (typeof m.step !== 'number' || typeof m.epoch !== 'number') return { problem: `${file}: step or epoch missing` };
  return { manifest: m as Manifest };
}

/** The manifest, or undefined when it is missing or damaged. */
export async function readManifest(dir: string): Promise<Manifest | undefined> {
  const read = await inspectManifest(dir);
  return 'manifest' in read ? read.manifest : undefined;
}

/**
 * Marks a run whose engine died `interrupted` (without its pid, with `reason` as its error).
 * Only a manifest that still says `running` changes; returns the manifest as it now is, or
 * undefined when there is none (or it is damaged: that is reported, never rewritten).
 */
export async function markInterrupted(dir: string, reason: string): Promise<Manifest | undefined> {
  const current = await readManifest(dir);
  if (!current || current.state !== 'running') return current;
  const { pid: _pid, ...rest } = current;
  const next: Manifest = { ...rest, state: 'interrupted', error: reason, updatedAt: new Date().toISOString() };
  writeFileAtomic(path.join(dir, RUN_FILES.manifest), JSON.stringify(next, null, 2) + '\n');
  return next;
}

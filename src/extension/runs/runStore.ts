/**
 * The runs directory as the host sees it: one folder per run, each with a manifest.json. Lists
 * runs newest first with their effective state (a `running` manifest whose process is gone
 * shows as interrupted), creates new run folder names, deletes runs. Reads are async so the
 * extension host never blocks on the disk.
 */
import { existsSync, promises as fsp, type Dirent } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunState } from '../../shared/protocol';
import { RUN_FILES } from '../../shared/runDir';
import { isEngineProcess } from './liveness';
import { inspectManifest, type Manifest } from './manifest';

export interface RunInfo {
  /** Absolute run directory. */
  dir: string;
  /** Folder name, e.g. dates-20261130-091500. */
  name: string;
  /** The manifest's state, except `running` without a live engine reads `interrupted`; `damaged` when the manifest cannot be read. */
  state: RunState | 'damaged';
  manifest: Manifest | undefined;
  /** What is wrong with a damaged manifest (file and reason). */
  problem?: string;
}

function stamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

export class RunStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the list may have changed (the Runs view re-reads). */
  readonly onDidChange = this.changed.event;
  private watcher: vscode.FileSystemWatcher | undefined;
  private watchedDirectory: string | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly directoryOf: () => string,
    private readonly enginePid: () => number | undefined,
  ) {}

  /** The runs directory now (the setting may change at any time). */
  get directory(): string {
    return path.resolve(this.directoryOf());
  }

  refresh(): void {
    this.changed.fire();
  }

  /** A fresh, unused run folder path for `label` (the engine creates the folder). */
  newRunDir(label: string): string {
    const safe = label.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[-.]+|-+$/g, '').slice(0, 40) || 'run';
    const base = path.join(this.directory, `${safe}-${stamp(new Date())}`);
    let candidate = base;
    // Synchronous on purpose: the controller names the run before sending the request; one stat is cheap.
    for (let i = 2; this.reserved.has(candidate) || existsSync(candidate); i++) candidate = `${base}-${i}`;
    this.reserved.add(candidate);
    return candidate;
  }
  private readonly reserved = new Set<string>();

  /** Every run (a folder with a manifest.json, readable or not), newest first. */
  async list(): Promise<RunInfo[]> {
    const root = this.directory;
    this.watch(root);
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(root, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const runs = await Promise.all(entries.filter(e => e.isDirectory()).map(e => this.read(path.join(root, e.name))));
    return runs
      .filter((r): r is RunInfo => r !== undefined)
      .sort((a, b) => (b.manifest?.createdAt ?? '').localeCompare(a.manifest?.createdAt ?? '') || b.name.localeCompare(a.name));
  }

  /** The run in `dir`, or undefined when `dir` holds no manifest. */
  async get(dir: string): Promise<RunInfo | undefined> {
    return this.read(path.resolve(dir));
  }

  /**
   * Deletes a run folder. Refuses anything that is not a run directly inside the runs
   * directory, so a wrong argument can never remove something else.
   */
  async delete(dir: string): Promise<void> {
    const target = path.resolve(dir);
    const run = path.dirname(target) === this.directory ? await this.read(target) : undefined;
    if (!run) throw new Error(vscode.l10n.t('{0} is not a run of the runs directory.', target));
    await fsp.rm(target, { recursive: true, force: true });
    this.refresh();
  }

  private async read(dir: string): Promise<RunInfo | undefined> {
    const read = await inspectManifest(dir);
    const name = path.basename(dir);
    if ('missing' in read) return undefined;
    if ('problem' in read) return { dir, name, state: 'damaged', manifest: undefined, problem: read.problem };
    const manifest = read.manifest;
    return { dir, name, state: manifest.state === 'running' && !this.isLive(manifest.pid) ? 'interrupted' : manifest.state, manifest };
  }

  private isLive(pid: number | undefined): boolean {
    if (pid === undefined) return false;
    return pid === this.enginePid() || isEngineProcess(pid);
  }

  /** Runs the CLI writes (or another window trains) show up without a manual refresh. */
  private watch(root: string): void {
    if (root === this.watchedDirectory) return;
    this.watcher?.dispose();
    this.watchedDirectory = root;
    try {
      this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), `*/${RUN_FILES.manifest}`));
      const soon = () => {
        if (this.refreshTimer) clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(() => this.refresh(), 300);
      };
      this.watcher.onDidCreate(soon);
      this.watcher.onDidChange(soon);
      this.watcher.onDidDelete(soon);
    } catch {
      this.watcher = undefined;
    }
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.watcher?.dispose();
    this.changed.dispose();
  }
}

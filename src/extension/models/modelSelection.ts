/**
 * Which trained run "Translate Selection" uses: the one picked with "Select Model" (kept per
 * workspace), else the newest completed run. A picked run that was deleted falls back too.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunInfo, RunStore } from '../runs/runStore';

const KEY = 'seq2seqLab.selectedModel';

export class ModelSelection {
  constructor(
    private readonly state: vscode.Memento,
    private readonly runs: RunStore,
  ) {}

  async set(runDir: string): Promise<void> {
    await this.state.update(KEY, path.resolve(runDir));
  }

  /** Completed runs, newest first: the models one can translate with. */
  async models(): Promise<RunInfo[]> {
    return (await this.runs.list()).filter(r => r.state === 'completed');
  }

  async current(): Promise<RunInfo | undefined> {
    const models = await this.models();
    const picked = this.state.get<string>(KEY);
    return models.find(m => m.dir === picked) ?? models[0];
  }
}

/**
 * The extension's settings (contributes.configuration in package.json), read fresh on every use
 * so changes apply without a reload.
 */
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { BackendName, PRESETS, Seq2SeqConfig } from '../shared/config';

const SECTION = 'seq2seqLab';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

export function engineBackend(): BackendName {
  const value = config().get<string>('engine.backend', 'auto');
  return (['auto', 'tensorflow', 'wasm', 'cpu'] as const).find(b => b === value) ?? 'auto';
}

/**
 * Where runs live: the setting (absolute, `~/…`, or relative to the first workspace folder),
 * else the workspace's extension storage, else (no folder open) the global storage.
 */
export function runsDirectory(context: vscode.ExtensionContext): string {
  const configured = config().get<string>('runsDirectory', '').trim();
  if (configured) {
    const expanded = configured.startsWith('~') ? path.join(os.homedir(), configured.slice(1)) : configured;
    if (path.isAbsolute(expanded)) return path.normalize(expanded);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (folder) return path.resolve(folder, expanded);
  }
  const storage = context.storageUri ?? context.globalStorageUri;
  return path.join(storage.fsPath, 'runs');
}

/** The form's starting values: the default preset, with the time limit setting as maxMinutes. */
export function initialConfig(): Partial<Seq2SeqConfig> {
  const preset = PRESETS[config().get<string>('defaultPreset', 'demo')] ?? PRESETS.demo;
  const minutes = config().get<number>('timeLimitMinutes', 0);
  const initial: Partial<Seq2SeqConfig> = { ...preset.config };
  if (Number.isFinite(minutes) && minutes > 0) initial.maxMinutes = minutes;
  return initial;
}

/** How many queued runs may train at once (`seq2seqLab.queue.concurrency`, 1 to 16; default 1). */
export function queueConcurrency(): number {
  const value = config().get<number>('queue.concurrency', 1);
  return Number.isFinite(value) ? Math.min(16, Math.max(1, Math.floor(value))) : 1;
}

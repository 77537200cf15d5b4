/** Select Model: which completed run Translate Selection uses. */
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { runDetail } from '../runs/format';
import type { Services } from '../services';

export function registerModelCommands(s: Services): vscode.Disposable[] {
  return [vscode.commands.registerCommand(COMMANDS.selectModel, (runDir?: unknown) => selectModel(s, typeof runDir === 'string' ? runDir : undefined))];
}

/** Picks (or, given `runDir`, sets) the model; returns its directory. */
export async function selectModel(s: Services, runDir?: string): Promise<string | undefined> {
  if (runDir) {
    await s.models.set(runDir);
    return runDir;
  }
  const models = await s.models.models();
  if (models.length === 0) {
    const train = vscode.l10n.t('Train Model');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('There is no trained model yet. Train one first?'), train);
    if (choice === train) await vscode.commands.executeCommand(COMMANDS.train);
    return undefined;
  }
  const current = await s.models.current();
  const picked = await vscode.window.showQuickPick(
    models.map(m => ({
      label: m.name,
      description: m.dir === current?.dir ? vscode.l10n.t('selected') : undefined,
      detail: runDetail(m),
      dir: m.dir,
    })),
    { title: vscode.l10n.t('Select Model'), placeHolder: vscode.l10n.t('The completed run Translate Selection uses') },
  );
  if (!picked) return undefined;
  await s.models.set(picked.dir);
  return picked.dir;
}

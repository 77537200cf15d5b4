/** The Runs view: one item per run with its state icon, best metric and actions (package.json menus). */
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { bestLabel, runDetail, stateLabel } from './format';
import type { RunInfo, RunStore } from './runStore';

const ICONS: Record<RunInfo['state'], [string, string | undefined]> = {
  running: ['sync~spin', 'charts.blue'],
  completed: ['pass', 'testing.iconPassed'],
  cancelled: ['debug-pause', undefined],
  failed: ['error', 'testing.iconFailed'],
  interrupted: ['warning', 'list.warningForeground'],
  damaged: ['warning', 'list.errorForeground'],
};

export class RunsTreeProvider implements vscode.TreeDataProvider<RunInfo>, vscode.Disposable {
  readonly onDidChangeTreeData: vscode.Event<void>;

  constructor(private readonly store: RunStore) {
    this.onDidChangeTreeData = store.onDidChange;
  }

  async getChildren(element?: RunInfo): Promise<RunInfo[]> {
    if (element) return [];
    try {
      return await this.store.list();
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot read the runs directory {0}: {1}', this.store.directory, (error as Error).message));
      return [];
    }
  }

  getTreeItem(run: RunInfo): vscode.TreeItem {
    // No item.id: with a stable id the workbench (VS Code 1.139) kept drawing the old description
    // after a refresh, so a stopped run went on reading "running" (caught by workflow.e2e.ts).
    const item = new vscode.TreeItem(run.name, vscode.TreeItemCollapsibleState.None);
    item.description = [stateLabel(run), bestLabel(run)].filter(Boolean).join(' · ');
    item.tooltip = new vscode.MarkdownString().appendText(run.dir + '\n\n' + runDetail(run));
    const [icon, color] = ICONS[run.state];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = `run.${run.state}`;
    if (run.manifest) item.command = { command: COMMANDS.openRun, title: vscode.l10n.t('Open Run'), arguments: [run.dir] };
    return item;
  }

  dispose(): void {
    // The event belongs to the store.
  }
}

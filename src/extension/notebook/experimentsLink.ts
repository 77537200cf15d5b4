/**
 * Each run cell of the experiment log links to its row in the experiments table: a cell status
 * bar item "Show in Experiments" (click, or focus the cell and run the palette's Seq2Seq: Show
 * in Experiments). The run is the one the cell's metadata records.
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { NOTEBOOK_TYPE } from '../../shared/experimentLog/constants';
import type { RunCell } from '../../shared/experimentLog/types';
import { METADATA_KEY } from './serializer';

/** The run directory a notebook cell records, if it is a run cell. */
export function runDirOfCell(cell: Pick<vscode.NotebookCell, 'metadata'> | undefined): string | undefined {
  const runDir = (cell?.metadata?.[METADATA_KEY] as { run?: Partial<RunCell> } | undefined)?.run?.runDir;
  return typeof runDir === 'string' && runDir.length > 0 ? runDir : undefined;
}

/** The run of the cell the active experiment log editor has selected. */
export function selectedRunDir(): string | undefined {
  const editor = vscode.window.activeNotebookEditor;
  if (!editor || editor.notebook.notebookType !== NOTEBOOK_TYPE) return undefined;
  const index = editor.selection?.start;
  return index === undefined || index >= editor.notebook.cellCount ? undefined : runDirOfCell(editor.notebook.cellAt(index));
}

export function registerExperimentsLink(): vscode.Disposable {
  return vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, {
    provideCellStatusBarItems(cell) {
      const runDir = runDirOfCell(cell);
      if (!runDir) return [];
      const item = new vscode.NotebookCellStatusBarItem(`$(table) ${vscode.l10n.t('Show in Experiments')}`, vscode.NotebookCellStatusBarAlignment.Left);
      item.command = { command: COMMANDS.revealInExperiments, title: vscode.l10n.t('Show in Experiments'), arguments: [runDir] };
      item.tooltip = vscode.l10n.t('This run\'s row in the experiments table');
      item.accessibilityInformation = { label: vscode.l10n.t('Show {0} in the experiments table', runDir) };
      return [item];
    },
  });
}

/**
 * The experiment log's controller. "Running" a run cell does not train here: it opens the
 * Train Model form prefilled with that run's settings (or the cell's edited recipe), so the
 * user reviews them before anything starts.
 */
import * as vscode from 'vscode';
import type { Seq2SeqConfig } from '../../shared/config';
import type { RunCell } from '../../shared/experimentLog/types';
import { NOTEBOOK_TYPE } from '../../shared/experimentLog/constants';
import { parseCell } from '../../shared/experimentLog/parse';
import { rerunRequest } from '../../shared/experimentLog/runRecipe';
import { METADATA_KEY } from './serializer';
import type { DataChoice } from '../../shared/dataChoice';

export const CONTROLLER_ID = 'seq2seq-lab.log.rerun';

export interface RerunDeps {
  openTrainForm: (config: Seq2SeqConfig, data?: DataChoice) => void;
}

/** The run a cell carries, or a message saying why it cannot be re-run. */
function runOf(cell: vscode.NotebookCell): RunCell | string {
  const recorded = (cell.metadata?.[METADATA_KEY] as { run?: unknown } | undefined)?.run;
  if (recorded === undefined) return vscode.l10n.t('Only run cells can be re-run: this cell is your own.');
  try {
    return parseCell(recorded, `cell ${cell.index + 1}`) as RunCell;
  } catch (err) {
    return vscode.l10n.t("This run cell's data is damaged: {0}", err instanceof Error ? err.message : String(err));
  }
}

export function createRerunController(deps: RerunDeps): vscode.NotebookController {
  const controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'Seq2Seq Lab');
  controller.description = vscode.l10n.t('Run a run cell to re-run with its settings');
  controller.supportedLanguages = ['json'];
  controller.supportsExecutionOrder = false;
  controller.executeHandler = cells => {
    for (const cell of cells) {
      const execution = controller.createNotebookCellExecution(cell);
      execution.start(Date.now());
      const run = runOf(cell);
      const request = typeof run === 'string' ? { error: run } : rerunRequest(run, cell.document.getText());
      if ('error' in request) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Cannot re-run: {0}', request.error));
        execution.end(false, Date.now());
        continue;
      }
      deps.openTrainForm(request.config, request.data);
      execution.end(true, Date.now());
    }
  };
  return controller;
}

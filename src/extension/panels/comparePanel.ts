/**
 * The run comparison panel (webview/compare): a table of the runs' hyperparameters with the
 * differing values highlighted, their final metrics, and their validation curves overlaid on
 * shared chart.js axes. Reads run files only (no engine); restores after a reload. One
 * comparison panel at a time: showing other runs reuses it.
 */
import * as vscode from 'vscode';
import {
  COMPARE_VIEW_TYPE, parseCompareMessage, parseCompareState,
  type CompareState, type CompareToHostMessage, type HostToCompareMessage, type RunSummary,
} from '../../shared/diffsProtocol';
import { loadRunSummary } from '../runs/summary';
import type { PanelContext } from './context';
import { l10nBundle, PanelHost, PanelRegistry, SINGLE_PANEL, type PanelKind, type PanelRestorer } from './panelHost';

const KIND: PanelKind<CompareToHostMessage> = {
  viewType: COMPARE_VIEW_TYPE,
  logName: 'compare',
  icon: 'compare',
  script: 'compare',
  styles: ['panels.css', 'compare.css'],
  parse: parseCompareMessage,
};

export function compareTitle(runDirs: readonly string[]): string {
  return vscode.l10n.t('Compare {0} runs', runDirs.length);
}

export class ComparePanel extends PanelHost<CompareToHostMessage, HostToCompareMessage> {
  private static readonly registry = new PanelRegistry<ComparePanel>();
  private summaries: Promise<RunSummary[]> | undefined;

  /** Shows the comparison of `runDirs` (reusing the open comparison panel). */
  static show(context: PanelContext, runDirs: string[]): ComparePanel {
    return ComparePanel.registry.showOrCreate(
      SINGLE_PANEL,
      { extensionUri: context.extensionUri, viewType: COMPARE_VIEW_TYPE, title: compareTitle(runDirs), placement: { viewColumn: vscode.ViewColumn.Active } },
      open => open.load(runDirs),
      panel => new ComparePanel(panel, context, runDirs),
    );
  }

  static revive(panel: vscode.WebviewPanel, context: PanelContext, runDirs: string[]): ComparePanel {
    return ComparePanel.registry.revive(SINGLE_PANEL, panel, context.extensionUri, () => undefined, restored => new ComparePanel(restored, context, runDirs));
  }

  static get open(): ComparePanel | undefined {
    return ComparePanel.registry.get();
  }

  private constructor(
    panel: vscode.WebviewPanel,
    context: PanelContext,
    private runDirs: string[],
  ) {
    super(panel, KIND, { registry: ComparePanel.registry, key: SINGLE_PANEL }, context.extensionUri, {
      title: compareTitle(runDirs),
      loading: vscode.l10n.t('Reading runs…'),
    });
  }

  /** The runs shown (for tests). */
  get shownRunDirs(): readonly string[] {
    return this.runDirs;
  }

  private load(runDirs: string[]): void {
    this.runDirs = runDirs;
    this.summaries = undefined;
    this.panel.title = compareTitle(runDirs);
    void this.sendRuns();
  }

  private async sendRuns(): Promise<void> {
    const runDirs = this.runDirs;
    this.summaries ??= Promise.all(runDirs.map(dir => loadRunSummary(dir)));
    let message: HostToCompareMessage;
    try {
      message = { type: 'runs', runs: await this.summaries, title: compareTitle(runDirs), ...l10nBundle() };
    } catch (error) {
      message = { type: 'failed', message: vscode.l10n.t('Cannot read the runs: {0}', (error as Error).message) };
    }
    if (runDirs === this.runDirs) this.post(message);
  }

  protected onMessage(message: Exclude<CompareToHostMessage, { type: 'error' }>): void {
    if (message.type === 'ready') void this.sendRuns();
  }
}

/** Restores a comparison: its runs are read again. */
export function compareRestorer(context: PanelContext): PanelRestorer<CompareState> {
  return {
    viewType: COMPARE_VIEW_TYPE,
    logName: 'compare',
    parseState: parseCompareState,
    revive: (panel, state) => void ComparePanel.revive(panel, context, state.runDirs),
  };
}

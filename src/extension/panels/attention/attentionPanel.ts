/**
 * The attention view (webview/attention): heatmaps of the last translations, of typed text, of
 * what-if decodings, and of the followed run's validation sample at every evaluation (live
 * while it trains). This file is the panel only — which messages go where; the rest is split by
 * concern beside it: store.ts (the items and the followed run, which outlive the panel),
 * requests.ts (translations and forced decodings asked of the engine), decorations.ts (editor
 * highlights of a row's source tokens), export.ts (saving PNG/JSON).
 */
import * as vscode from 'vscode';
import {
  parseAttentionMessage, parseAttentionState,
  type AttentionItem, type AttentionState, type AttentionToHostMessage, type HostToAttentionMessage,
} from '../../../shared/attentionProtocol';
import type { Translation } from '../../../shared/protocol';
import { ATTENTION_VIEW_TYPE } from '../../../shared/webviewProtocol';
import type { PanelContext } from '../context';
import { l10nBundle, PanelHost, PanelRegistry, SINGLE_PANEL, type PanelKind, type PanelRestorer } from '../panelHost';
import { SourceHighlighter, type Highlight } from './decorations';
import { saveAttentionExport } from './export';
import { AttentionRequests } from './requests';
import type { TranslationOrigin } from './store';

const KIND: PanelKind<AttentionToHostMessage> = {
  viewType: ATTENTION_VIEW_TYPE,
  logName: 'attention',
  icon: 'attention',
  script: 'attention',
  styles: ['panels.css', 'attention.css'],
  parse: parseAttentionMessage,
};

export class AttentionPanel extends PanelHost<AttentionToHostMessage, HostToAttentionMessage> {
  private static readonly registry = new PanelRegistry<AttentionPanel>();
  /** Until the webview says `ready` (again, after it was hidden) nothing is posted: it would be lost. */
  private ready = false;
  private selectedId: string | undefined;
  private readonly requests: AttentionRequests;
  private readonly highlighter = new SourceHighlighter();

  /**
   * Opens the attention view (showing `translation` when given, else what it showed last or
   * the followed run's validation sample), or reveals the open one.
   */
  static createOrShow(context: PanelContext, translation?: Translation, origin: TranslationOrigin = {}): AttentionPanel {
    const id = translation ? context.attention.remember(translation, origin) : undefined;
    return AttentionPanel.registry.showOrCreate(
      SINGLE_PANEL,
      { extensionUri: context.extensionUri, viewType: ATTENTION_VIEW_TYPE, title: vscode.l10n.t('Attention'), placement: { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true } },
      open => {
        if (id) open.selectedId = id;
        open.sendItems();
        void open.requests.followRun();
      },
      panel => new AttentionPanel(panel, context, id ?? context.attention.newestId),
    );
  }

  /** Adopts a panel VS Code restored after a reload: the saved items come back (without their model or selection). */
  static revive(panel: vscode.WebviewPanel, context: PanelContext, state: AttentionState): AttentionPanel {
    return AttentionPanel.registry.revive(SINGLE_PANEL, panel, context.extensionUri, () => undefined, restored => {
      context.attention.restore(state.items);
      return new AttentionPanel(restored, context, context.attention.newestId);
    });
  }

  /** The open attention panel, if any (for tests and the host). */
  static get open(): AttentionPanel | undefined {
    return AttentionPanel.registry.get();
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly context: PanelContext,
    selectedId: string | undefined,
  ) {
    super(panel, KIND, { registry: AttentionPanel.registry, key: SINGLE_PANEL }, context.extensionUri, {
      title: vscode.l10n.t('Attention'),
      loading: vscode.l10n.t('Loading attention…'),
    });
    this.selectedId = selectedId;
    this.requests = new AttentionRequests(context, {
      send: message => this.send(message),
      showItem: id => {
        this.selectedId = id;
        this.sendItems();
      },
    });
    this.disposables.push(this.highlighter, context.attention.onDidChange(change => this.send(change)));
  }

  /** The recent items (for tests). */
  get items(): AttentionItem[] {
    return this.context.attention.items;
  }

  /** The last editor highlight (for tests). */
  get lastHighlight(): Highlight | undefined {
    return this.highlighter.last;
  }

  protected override onDidChangeVisibility(visible: boolean): void {
    if (!visible) this.ready = false;
  }

  private send(message: HostToAttentionMessage): void {
    if (this.ready) this.post(message);
  }

  /** The recent items, with the translation bundle the webview renders with. */
  private sendItems(): void {
    this.send({ type: 'items', items: this.context.attention.items, ...(this.selectedId ? { selectedId: this.selectedId } : {}), ...l10nBundle() });
  }

  protected async onMessage(message: Exclude<AttentionToHostMessage, { type: 'error' }>): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendItems();
        return this.requests.followRun();
      case 'translate':
        return this.requests.translateTyped(message.text, message.beamSize);
      case 'whatIf':
        return this.requests.whatIf(message.ref, message.position, message.token);
      case 'highlightRow':
        return this.highlighter.highlightRow(await this.requests.resolve(message.ref), message.row);
      case 'export': {
        const answer = await saveAttentionExport(message.format, message.data, message.name);
        if (answer) this.send(answer);
        return;
      }
    }
  }
}

/** Restores the attention view after a window reload. */
export function attentionRestorer(context: PanelContext): PanelRestorer<AttentionState> {
  return {
    viewType: ATTENTION_VIEW_TYPE,
    logName: 'attention',
    parseState: parseAttentionState,
    revive: (panel, state) => void AttentionPanel.revive(panel, context, state),
  };
}

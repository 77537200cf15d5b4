/**
 * The attention view of the last translation (webview/attention): a heatmap table with the
 * output tokens as rows (and each token's probability) and the source tokens as columns.
 */
import * as vscode from 'vscode';
import type { Translation } from '../../shared/protocol';
import { ATTENTION_VIEW_TYPE, parseAttentionMessage, type HostToAttentionMessage } from '../../shared/webviewProtocol';
import { loadingBody } from './shell';
import { panelHtml, panelOptions, webviewOptions } from './html';
import { panelLog } from './log';

export class AttentionPanel {
  private static current: AttentionPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /** Opens the attention view for `translation`, or shows it in the open one. */
  static createOrShow(extensionUri: vscode.Uri, translation: Translation): AttentionPanel {
    const open = AttentionPanel.current;
    if (open) {
      open.show(translation);
      open.panel.reveal(undefined, true);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(
      ATTENTION_VIEW_TYPE,
      vscode.l10n.t('Attention'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      panelOptions(extensionUri),
    );
    AttentionPanel.current = new AttentionPanel(panel, extensionUri, translation);
    return AttentionPanel.current;
  }

  /** Adopts a panel VS Code restored after a reload (see registerPanelSerializers). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, translation: Translation): AttentionPanel {
    if (AttentionPanel.current) {
      panel.dispose();
      return AttentionPanel.current;
    }
    panel.webview.options = webviewOptions(extensionUri);
    AttentionPanel.current = new AttentionPanel(panel, extensionUri, translation);
    return AttentionPanel.current;
  }

  /** The open attention panel, if any (for tests and the host). */
  static get open(): AttentionPanel | undefined {
    return AttentionPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private translation: Translation,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icons', 'attention.svg');
    panel.webview.html = panelHtml(panel.webview, extensionUri, {
      title: vscode.l10n.t('Attention'),
      script: 'attention',
      styles: ['panels.css', 'attention.css'],
      body: loadingBody(vscode.l10n.t('Loading attention…')),
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage(message => this.onMessage(message)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private show(translation: Translation): void {
    this.translation = translation;
    this.send({ type: 'translation', translation });
  }

  private send(message: HostToAttentionMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private onMessage(raw: unknown): void {
    const parsed = parseAttentionMessage(raw);
    if (!parsed.ok) {
      panelLog().warn(`attention: dropped an invalid message: ${parsed.error}`);
      return;
    }
    if (parsed.value.type === 'ready') this.send({ type: 'translation', translation: this.translation });
    else panelLog().error(`attention webview: ${parsed.value.message}`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (AttentionPanel.current === this) AttentionPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

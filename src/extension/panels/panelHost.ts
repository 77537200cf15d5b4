/**
 * The one panel host: the plumbing every webview panel of the extension shares, written once.
 * A `PanelHost` owns its `vscode.WebviewPanel` and everything it subscribes to: it sets the icon,
 * the title and the HTML shell (html.ts/shell.ts: CSP `default-src 'none'`, a fresh nonce, every
 * resource through asWebviewUri), parses each webview message with the kind's validator from
 * src/shared (an invalid one is logged and dropped, an `error` report goes to the log), posts only
 * while the panel is alive, leaves its `PanelRegistry` and disposes everything in `dispose()`.
 * A `PanelRegistry` is one kind's open panels by key (one per run, or a single one under
 * SINGLE_PANEL) with the create-or-reveal and revive rules; serializers.ts restores every kind.
 *
 * How to add a panel (say `seq2seqLab.things`):
 * 1. src/shared: the view type, the message unions both ways with a `parse…Message` validator
 *    (and a `parse…State` one if it restores), like diffsProtocol.ts; webview/things/main.ts.
 * 2. src/extension/panels/thingsPanel.ts: `class ThingsPanel extends PanelHost<ThingsToHost,
 *    HostToThings>` with a `static readonly registry = new PanelRegistry<ThingsPanel>()`, a
 *    `PanelKind` (viewType, icon, script, styles, parse), a static `createOrShow(context, …)`
 *    that calls `registry.showOrCreate(…)`, and `onMessage` for its own messages only.
 * 3. To restore after a reload: export a `PanelRestorer` (viewType, parseState, revive via
 *    `registry.revive`) and add it to the list in serializers.ts, plus an
 *    `onWebviewPanel:seq2seqLab.things` activation event in package.json.
 * 4. Panels never get pushed to: to follow training, subscribe to `context.training`'s events in
 *    the constructor with `this.disposables.push(…)`.
 */
import * as vscode from 'vscode';
import type { Parsed } from '../../shared/validation';
import { panelHtml, panelOptions, webviewOptions } from './html';
import { panelLog } from './log';
import { loadingBody } from '../../shared/webviewShell';

/** What is fixed for every panel of one kind. */
export interface PanelKind<In extends { type: string }> {
  viewType: string;
  /** Its name in log lines ("dashboard: dropped an invalid message: …"). */
  logName: string;
  /** media/icons/<icon>.svg */
  icon: string;
  /** The bundle under dist/webview (`form` → dist/webview/form.js). */
  script: string;
  /** Style sheets under media/. */
  styles: string[];
  /** The validator of what the webview sends (src/shared). */
  parse(raw: unknown): Parsed<In>;
}

/** What one panel shows before its bundle runs. */
export interface PanelTexts {
  title: string;
  /** The loading message the bundle replaces. */
  loading: string;
}

/** Where a new panel opens. */
export interface PanelPlacement {
  viewColumn: vscode.ViewColumn;
  /** Keep the focus where it is (on creation and when an open panel is revealed). */
  preserveFocus?: boolean;
}

/** How one kind of panel is restored after a reload (listed in serializers.ts). */
export interface PanelRestorer<State> {
  viewType: string;
  /** Its name in log lines. */
  logName: string;
  parseState(state: unknown): Parsed<State>;
  revive(panel: vscode.WebviewPanel, state: State): void | Promise<void>;
}

/** The registry key of a kind that has at most one panel open. */
export const SINGLE_PANEL = '';

/** A webview's `error` report (every webview may send one; the host logs it). */
type ErrorReport = { type: 'error'; message: string };

function isErrorReport(message: { type: string }): message is ErrorReport {
  return message.type === 'error' && typeof (message as Partial<ErrorReport>).message === 'string';
}

/** What a registry holds (any PanelHost). */
interface OpenPanel {
  readonly panel: vscode.WebviewPanel;
}

/** The translation bundle a webview renders with, to spread into its first message (none in English). */
export function l10nBundle(): { l10n?: Record<string, string> } {
  return vscode.l10n.bundle ? { l10n: vscode.l10n.bundle } : {};
}

/** One kind's open panels by key; a panel joins on construction and leaves when disposed. */
export class PanelRegistry<P extends OpenPanel> {
  private readonly panels = new Map<string, P>();

  get(key: string = SINGLE_PANEL): P | undefined {
    return this.panels.get(key);
  }

  get all(): readonly P[] {
    return [...this.panels.values()];
  }

  /** @internal PanelHost's constructor. */
  add(key: string, panel: P): void {
    this.panels.set(key, panel);
  }

  /** @internal PanelHost.dispose: leaves only if `panel` is still the one under `key`. */
  remove(key: string, panel: P): void {
    if (this.panels.get(key) === panel) this.panels.delete(key);
  }

  /**
   * The open panel under `key`, updated by `reuse` and revealed; else a new WebviewPanel of
   * `viewType` at `placement`, handed to `create`.
   */
  showOrCreate(
    key: string,
    open: { extensionUri: vscode.Uri; viewType: string; title: string; placement: PanelPlacement },
    reuse: (panel: P) => void,
    create: (panel: vscode.WebviewPanel) => P,
  ): P {
    const existing = this.panels.get(key);
    if (existing) {
      reuse(existing);
      existing.panel.reveal(undefined, open.placement.preserveFocus);
      return existing;
    }
    const { viewColumn, preserveFocus } = open.placement;
    const panel = vscode.window.createWebviewPanel(open.viewType, open.title, preserveFocus ? { viewColumn, preserveFocus } : viewColumn, panelOptions(open.extensionUri));
    return create(panel);
  }

  /**
   * Adopts a panel VS Code restored after a reload. When one is open under `key` already
   * (a command raced the restore) the restored one is closed and `reuse` gets the open one.
   */
  revive(key: string, panel: vscode.WebviewPanel, extensionUri: vscode.Uri, reuse: (open: P) => void, create: (panel: vscode.WebviewPanel) => P): P {
    const existing = this.panels.get(key);
    if (existing) {
      panel.dispose();
      reuse(existing);
      return existing;
    }
    panel.webview.options = webviewOptions(extensionUri);
    return create(panel);
  }
}

/**
 * The base of every panel: `In` is what its webview sends (validated by `kind.parse`), `Out`
 * what the host posts.
 */
export abstract class PanelHost<In extends { type: string }, Out> implements vscode.Disposable {
  /** Disposed with the panel, newest first. */
  protected readonly disposables: vscode.Disposable[] = [];
  private isDisposed = false;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly kind: PanelKind<In>,
    private readonly membership: { registry: PanelRegistry<OpenPanel>; key: string },
    extensionUri: vscode.Uri,
    page: PanelTexts,
  ) {
    membership.registry.add(membership.key, this);
    panel.title = page.title;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icons', `${kind.icon}.svg`);
    panel.webview.html = panelHtml(panel.webview, extensionUri, {
      title: page.title,
      script: kind.script,
      styles: kind.styles,
      body: loadingBody(page.loading),
      lang: vscode.env.language,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage(raw => this.receive(raw)),
      // Without retainContextWhenHidden a hidden webview is destroyed; it says `ready` again when shown.
      panel.onDidChangeViewState(() => this.onDidChangeVisibility(panel.visible)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get disposed(): boolean {
    return this.isDisposed;
  }

  /** Posts to the webview; a no-op once the panel is disposed. */
  protected post(message: Out): void {
    if (!this.isDisposed) void this.panel.webview.postMessage(message);
  }

  /** A valid message of the panel's own (not `error`, which the host logs). */
  protected abstract onMessage(message: Exclude<In, ErrorReport>): void | Promise<void>;

  /** The panel was hidden or shown again. */
  protected onDidChangeVisibility(_visible: boolean): void {}

  /** Runs once, first thing in dispose() (cancel what is in flight). */
  protected onWillDispose(): void {}

  /** Validates, dispatches; never throws (a handler's failure is logged). Resolves when handled. */
  private async receive(raw: unknown): Promise<void> {
    const parsed = this.kind.parse(raw);
    if (!parsed.ok) {
      panelLog().warn(`${this.kind.logName}: dropped an invalid message: ${parsed.error}`);
      return;
    }
    const message = parsed.value;
    if (isErrorReport(message)) {
      panelLog().error(`${this.kind.logName} webview: ${message.message}`);
      return;
    }
    try {
      await this.onMessage(message as Exclude<In, ErrorReport>);
    } catch (e) {
      panelLog().error(`${this.kind.logName}: handling "${message.type}" failed: ${String(e)}`);
    }
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.membership.registry.remove(this.membership.key, this);
    this.onWillDispose();
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

/**
 * The one stand-in for the `vscode` module in unit tests (the real one exists only inside VS
 * Code): the parts the host's panels use — EventEmitter, Uri.joinPath, l10n.t, ViewColumn, env,
 * CancellationTokenSource, ThemeColor and window.createWebviewPanel, whose FakePanel records
 * what the host posts and lets a test deliver messages as the webview would — and
 * `installFakeVscode`, which makes `require('vscode')` return it while host modules load.
 */

/** The part of vscode.EventEmitter the host code uses. */
export class FakeEventEmitter<T> {
  private readonly listeners = new Set<(e: T) => void>();
  readonly event = (listener: (e: T) => void) => {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };
  /** How many listeners are subscribed (a panel that unsubscribes on dispose drops to 0). */
  get listenerCount(): number {
    return this.listeners.size;
  }
  fire(e: T): void {
    [...this.listeners].forEach(listener => listener(e));
  }
  dispose(): void {
    this.listeners.clear();
  }
}

/** What the host posts to a webview: always a message with a `type`. */
export type PostedMessage = { type: string; [key: string]: unknown };

/** A WebviewPanel as the host sees it, plus what a test reads and does. */
export interface FakePanel {
  viewType: string;
  title: string;
  iconPath: unknown;
  visible: boolean;
  /** How many times the host revealed it. */
  reveals: number;
  disposed: boolean;
  /** Everything the host posted, in order. */
  posted: PostedMessage[];
  webview: { html: string; options: unknown; cspSource: string; asWebviewUri(uri: unknown): unknown; postMessage(m: PostedMessage): Promise<boolean>; onDidReceiveMessage: FakeEventEmitter<unknown>['event'] };
  /** The panel itself (what a test hands to a panel class's constructor). */
  readonly panel: FakePanel;
  /** Delivers a message as the webview would; returns what the host's handler returns. */
  send(message: unknown): unknown;
  /** Delivers a message; resolves when the host has handled it. */
  receive(message: unknown): Promise<void>;
  /** How many listeners the host still has on this panel. */
  listeners(): number;
  reveal(): void;
  onDidChangeViewState: FakeEventEmitter<unknown>['event'];
  onDidDispose: FakeEventEmitter<void>['event'];
  dispose(): void;
}

export function fakePanel(viewType = '', title = ''): FakePanel {
  const messages = new FakeEventEmitter<unknown>();
  const viewState = new FakeEventEmitter<unknown>();
  const disposed = new FakeEventEmitter<void>();
  let handler: ((m: unknown) => unknown) | undefined;
  const panel: FakePanel = {
    viewType,
    title,
    iconPath: undefined,
    visible: true,
    reveals: 0,
    disposed: false,
    posted: [],
    webview: {
      html: '',
      options: {},
      cspSource: 'vscode-webview:',
      asWebviewUri: uri => uri,
      postMessage: async m => panel.posted.push(m) > 0,
      onDidReceiveMessage: listener => {
        handler = listener;
        const subscription = messages.event(listener);
        return { dispose: () => ((handler = undefined), subscription.dispose()) };
      },
    },
    get panel() {
      return panel;
    },
    send: message => handler?.(message),
    receive: async message => void (await handler?.(message)),
    listeners: () => messages.listenerCount + viewState.listenerCount + disposed.listenerCount,
    reveal: () => void panel.reveals++,
    onDidChangeViewState: viewState.event,
    onDidDispose: disposed.event,
    dispose: () => {
      if (panel.disposed) return;
      panel.disposed = true;
      disposed.fire();
    },
  };
  return panel;
}

/** A Uri as the host code uses it (path and toString). */
export const fakeUri = (path: string) => ({ path, toString: () => path });

/** A fresh stand-in `vscode` (one per test file: tests change its language and bundle) and the panels it created. */
export function createFakeVscode() {
  const created: FakePanel[] = [];
  const api = {
    EventEmitter: FakeEventEmitter,
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    env: { language: 'en' },
    l10n: {
      t: (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])),
      /** `vscode.l10n.bundle`: undefined in English. */
      bundle: undefined as Record<string, string> | undefined,
    },
    Uri: { joinPath: (base: { path: string }, ...parts: string[]) => fakeUri([base.path, ...parts].join('/')) },
    CancellationTokenSource: class {
      private listeners: Array<() => void> = [];
      readonly token = {
        isCancellationRequested: false,
        onCancellationRequested: (listener: () => void) => {
          this.listeners.push(listener);
          return { dispose() {} };
        },
      };
      cancel() {
        if (this.token.isCancellationRequested) return;
        this.token.isCancellationRequested = true;
        this.listeners.forEach(listener => listener());
      }
      dispose() {}
    },
    ThemeColor: class {
      constructor(readonly id: string) {}
    },
    window: {
      createWebviewPanel: (viewType: string, title: string) => {
        const panel = fakePanel(viewType, title);
        created.push(panel);
        return panel;
      },
      registerWebviewPanelSerializer: () => ({ dispose() {} }),
      createTextEditorDecorationType: () => ({ dispose() {} }),
      visibleTextEditors: [] as unknown[],
      activeTextEditor: undefined as unknown,
    },
  };
  return { api, created };
}

/** Drops the host's modules from the require cache, so the next require loads them against the current stand-in. */
function forgetHostModules(): void {
  for (const key of Object.keys(require.cache)) if (/src[\\/]extension[\\/]/.test(key)) delete require.cache[key];
}

/**
 * Makes `require('vscode')` return `fake` (call in `before`, then require the host modules) and
 * returns the undo (call in `after`). Host modules are loaded afresh on both sides, so each test
 * file's modules see its own stand-in.
 */
export function installFakeVscode(fake: object): () => void {
  const Module = require('module') as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = Module._load;
  Module._load = function (this: unknown, request: string, ...rest: unknown[]) {
    return request === 'vscode' ? fake : originalLoad.call(this, request, ...rest);
  };
  forgetHostModules();
  return () => {
    Module._load = originalLoad;
    forgetHostModules();
  };
}

/**
 * The stand-in a command module needs: a trusted workspace, messages recorded in `messages`,
 * progress run at once with a live token, and `window` overrides (quick picks, input boxes).
 */
export function commandVscode(api: ReturnType<typeof createFakeVscode>['api'], messages: { warnings: string[]; errors?: string[] }, window: object = {}) {
  return {
    ...api,
    workspace: { isTrusted: true },
    ProgressLocation: { Notification: 15 },
    commands: { executeCommand: async () => undefined, registerCommand: () => ({ dispose() {} }) },
    window: {
      ...api.window,
      showWarningMessage: async (message: string) => void messages.warnings.push(message),
      showInformationMessage: async () => undefined,
      showErrorMessage: async (message: string) => void messages.errors?.push(message),
      withProgress: async (_options: unknown, task: (progress: unknown, token: unknown) => Promise<unknown>) => task({ report() {} }, new api.CancellationTokenSource().token),
      ...window,
    },
  };
}

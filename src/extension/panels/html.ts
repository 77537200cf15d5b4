/**
 * What every panel of the extension shares: webview options (scripts on, resources only from
 * the built webview bundles and media) and the HTML shell (shell.ts) with a fresh nonce and
 * every resource through asWebviewUri.
 */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { shellHtml } from '../../shared/webviewShell';

/** Where the webview bundles and styles live inside the extension. */
export function resourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** The webview options of every panel (also re-applied to panels restored by a serializer). */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: resourceRoots(extensionUri) };
}

/** Panel options. No retainContextWhenHidden: each webview rebuilds from host data and its state. */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return webviewOptions(extensionUri);
}

export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface PanelPage {
  /** Document title (also the accessible name of the page). */
  title: string;
  /** Bundle name under dist/webview (`form` → dist/webview/form.js). */
  script: string;
  /** Style sheets under media/. */
  styles: string[];
  /** Static body markup (no handlers, no inline script); the bundle fills it in. */
  body: string;
  /** The page's language, for a panel whose webview is localized (default `en`). */
  lang?: string;
}

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: PanelPage): string {
  const uri = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  return shellHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    title: page.title,
    styles: page.styles.map(name => uri('media', name)),
    script: uri('dist', 'webview', `${page.script}.js`),
    body: page.body,
    ...(page.lang ? { lang: page.lang } : {}),
  });
}

/**
 * The smallest commands of the extension: an information message and a welcome webview.
 * The webview follows the rules every panel of the extension follows: a strict CSP
 * (default-src 'none', scripts only with a per-render crypto nonce), resources only through
 * asWebviewUri, and localResourceRoots limited to the extension's media folder.
 */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { escapeHtml } from '../../shared/webviewShell';

export const SHOW_INFO_COMMAND = 'seq2seqLab.showInfo';
export const OPEN_WELCOME_COMMAND = 'seq2seqLab.openWelcome';
export const WELCOME_VIEW_TYPE = 'seq2seqLab.welcome';

export function registerHelloCommands(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_INFO_COMMAND, () => showEngineInfo(context)),
    vscode.commands.registerCommand(OPEN_WELCOME_COMMAND, () => openWelcome(context)),
  );
}

/** Shows what the extension knows about its engine; returns the message (for tests). */
export function showEngineInfo(context: vscode.ExtensionContext): string {
  const version = (context.extension.packageJSON as { version?: string }).version ?? '?';
  const message = vscode.l10n.t(
    'Seq2Seq Lab {0}: the TensorFlow.js engine runs in a child process (Node {1}, {2}); it starts on first use.',
    version,
    process.versions.node,
    `${process.platform}-${process.arch}`,
  );
  // Not awaited: the promise resolves only when the notification is dismissed.
  void vscode.window.showInformationMessage(message);
  return message;
}

let welcomePanel: vscode.WebviewPanel | undefined;

/** Opens (or reveals) the welcome panel; returns it (for tests). */
export function openWelcome(context: vscode.ExtensionContext): vscode.WebviewPanel {
  if (welcomePanel) {
    welcomePanel.reveal();
    return welcomePanel;
  }
  const mediaRoot = vscode.Uri.joinPath(context.extensionUri, 'media');
  const panel = vscode.window.createWebviewPanel(WELCOME_VIEW_TYPE, 'Seq2Seq Lab', vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [mediaRoot],
  });
  panel.webview.html = welcomeHtml(panel.webview, vscode.Uri.joinPath(mediaRoot, 'welcome.css'));
  panel.onDidDispose(() => (welcomePanel = undefined), undefined, context.subscriptions);
  welcomePanel = panel;
  return panel;
}

function welcomeHtml(webview: vscode.Webview, styleUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  // The page is static: the host writes it in the display language.
  const ready = vscode.l10n.t('Ready');
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${webview.asWebviewUri(styleUri)}">
  <title>Seq2Seq Lab</title>
</head>
<body>
  <h1 id="title">Seq2Seq Lab</h1>
  <p>${escapeHtml(vscode.l10n.t('Train encoder-decoder RNNs inside VS Code and watch them learn.'))}</p>
  <p id="status">${escapeHtml(vscode.l10n.t('Loading…'))}</p>
  <script nonce="${nonce}">
    document.getElementById('status').textContent = ${scriptString(ready)};
    document.body.dataset.ready = 'true';
  </script>
</body>
</html>`;
}

/** A JS string literal that is safe inside an inline <script> (no `</script>`, no HTML comment). */
function scriptString(text: string): string {
  return JSON.stringify(text).replace(/</g, '\\u003c');
}

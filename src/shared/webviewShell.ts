/**
 * The HTML shell of every panel, free of `vscode` (so the browser tests render exactly the same
 * document): CSP meta with the nonce, style sheets, the static body, the nonce'd bundle.
 *
 * CSP: `default-src 'none'`; scripts only with the per-render nonce; styles, images and fonts
 * only from the webview resource origin. The nonce is also allowed for styles because VS Code's
 * own webview bootstrap adds a default-style element and reads the nonce for it from
 * `<meta property="csp-nonce">`.
 */

export interface ShellParts {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  title: string;
  /** Style sheet URLs (already through asWebviewUri). */
  styles: string[];
  /** The bundle URL (already through asWebviewUri). */
  script: string;
  /** Static body markup: no handlers, no inline script. */
  body: string;
  /** The page's language (`vscode.env.language` for a localized panel); default `en`. */
  lang?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function shellHtml(parts: ShellParts): string {
  const attr = escapeHtml;
  const styles = parts.styles.map(href => `<link rel="stylesheet" href="${attr(href)}">`).join('\n  ');
  return `<!DOCTYPE html>
<html lang="${attr(parts.lang ?? 'en')}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(parts.cspSource, parts.nonce))}">
  <meta property="csp-nonce" content="${attr(parts.nonce)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  ${styles}
  <title>${escapeHtml(parts.title)}</title>
</head>
<body>
${parts.body}
  <script nonce="${attr(parts.nonce)}" src="${attr(parts.script)}"></script>
</body>
</html>`;
}

/** The body every panel starts with: a loading message the bundle replaces. */
export function loadingBody(text: string): string {
  return `  <main id="app" aria-busy="true"><p class="loading" role="status">${escapeHtml(text)}</p></main>`;
}

/** Small DOM helpers shared by the panels (no innerHTML with data: text goes through textContent). */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Array<Node | string | undefined>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) node.setAttribute(name, value);
  for (const child of children) if (child !== undefined) node.append(child);
  return node;
}

/** Any element (custom elements of the toolkit included). */
export function custom(tag: string, attrs: Record<string, string | undefined> = {}, ...children: Array<Node | string | undefined>): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) node.setAttribute(name, value);
  for (const child of children) if (child !== undefined) node.append(child);
  return node;
}

export function app(): HTMLElement {
  const main = document.getElementById('app');
  if (!main) throw new Error('no #app element');
  return main;
}

/** Replaces the loading placeholder with the panel's content. */
export function showContent(...nodes: Node[]): void {
  const main = app();
  main.replaceChildren(...nodes);
  main.removeAttribute('aria-busy');
}

/** A CSS custom property of the current theme (VS Code sets them on <html>). */
export function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** 'light' | 'dark' | 'high-contrast' | 'high-contrast-light', from the body class VS Code sets. */
export function themeKind(): string {
  const cls = document.body.classList;
  if (cls.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (cls.contains('vscode-high-contrast')) return 'high-contrast';
  if (cls.contains('vscode-light')) return 'light';
  return 'dark';
}

/** Calls `fn` when the user switches colour theme (VS Code changes the body class). */
export function onThemeChange(fn: () => void): void {
  new MutationObserver(fn).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5)) return value.toExponential(2);
  return Number(value.toPrecision(digits)).toString();
}

/**
 * Localization inside a webview, the way VS Code documents it for webviews: the host sends its
 * translation bundle (`vscode.l10n.bundle`, absent in English) in the panel's first message, the
 * webview loads it with @vscode/l10n's `config` before it renders, and every user-facing string
 * goes through `t` (English text as the key, `{0}` placeholders). Strings kept in DOM-free
 * tables (the config schema, chart specs) stay English there and go through `t` where shown.
 */
import { config, t } from '@vscode/l10n';
import type { MessageFormat } from '../../src/shared/config';
import { parseL10nBundle } from '../../src/shared/webviewProtocol';

export { t };

/** Loads the bundle of a host message (ignored when absent or malformed: the webview stays English). */
export function useL10nBundle(bundle: unknown): void {
  const contents = parseL10nBundle(bundle);
  if (contents) config({ contents });
}

/** The config schema's validation messages (CONFIG_MESSAGES), translated. */
export const localizedMessage: MessageFormat = (template, ...args) => t(template, ...args);

/**
 * The localization bundle a host message may carry to a webview, and its check. Apart from the
 * panel protocols (webviewProtocol.ts, attentionProtocol.ts, diffsProtocol.ts) so each of them
 * imports it without importing another.
 */
import { isRecord, MAX_STRING } from './validation';

/** English message → translation: the contents of l10n/bundle.l10n.<locale>.json, as `vscode.l10n.bundle`. */
export type L10nBundle = Record<string, string>;

/** Most entries a bundle may have (the real one has a few hundred). */
export const MAX_L10N_ENTRIES = 20_000;

/**
 * The bundle of a host message, or undefined (English) when it is absent or not a plain object of
 * strings. Copied into a prototype-free object, so a message such as "constructor" never finds
 * Object.prototype's members.
 */
export function parseL10nBundle(x: unknown): L10nBundle | undefined {
  if (!isRecord(x)) return undefined;
  const entries = Object.entries(x);
  if (entries.length > MAX_L10N_ENTRIES) return undefined;
  const bundle: L10nBundle = Object.create(null) as L10nBundle;
  for (const [message, translation] of entries) {
    if (typeof translation !== 'string' || translation.length > MAX_STRING || message.length > MAX_STRING) return undefined;
    bundle[message] = translation;
  }
  return bundle;
}

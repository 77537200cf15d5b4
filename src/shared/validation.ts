/**
 * The building blocks of every webview message validator (webviewProtocol, attentionProtocol,
 * diffsProtocol): a result type and the checks they all make. Pure, no vscode: the host and
 * the webviews both import it.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Longest string a webview may send in one field (paths, typed text, error messages). */
export const MAX_STRING = 4096;

export const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });
export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function isShortString(x: unknown, max = MAX_STRING): x is string {
  return typeof x === 'string' && x.length <= max;
}

/** The first key not in `allowed` (a message with extra fields is not one we sent). */
export function extraKey(x: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  return Object.keys(x).find(k => !allowed.includes(k));
}

/** What a value is, for error messages ("null", "an array", "number"…). */
export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x;
}

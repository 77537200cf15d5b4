/**
 * Python `str` behaviours that sacreBLEU relies on, reproduced so that our scores match it
 * character for character. JavaScript's `\s` and `String#split` differ from Python's
 * `str.split()` in which characters count as whitespace, and JavaScript strings index UTF-16
 * code units where Python indexes code points.
 */

/**
 * The characters for which Python 3's `str.isspace()` is true. Differs from JavaScript's `\s`:
 * Python also counts U+001C..U+001F and U+0085, and does not count U+FEFF.
 */
const PY_WHITESPACE = '\\t\\n\\v\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE}]+`, 'u');
const PY_TRAILING_WHITESPACE = new RegExp(`[${PY_WHITESPACE}]+$`, 'u');

/** Python's `s.split()` with no arguments: split on whitespace runs, drop empty fields. */
export function pySplit(s: string): string[] {
  return s.split(PY_WHITESPACE_RUN).filter(part => part.length > 0);
}

/** Python's `s.rstrip()` with no arguments. */
export function pyRstrip(s: string): string {
  return s.replace(PY_TRAILING_WHITESPACE, '');
}

/** Python's `''.join(s.split())`: removes every whitespace character. */
export function pyRemoveWhitespace(s: string): string {
  return pySplit(s).join('');
}

/** The string as Python sees it: one element per code point, so astral characters stay whole. */
export function codePoints(s: string): string[] {
  return Array.from(s);
}

/** Adds one occurrence of `key` to a multiset (Python's `Counter`). */
export function bump(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

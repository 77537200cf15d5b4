/**
 * sacreBLEU 2.x-style reproducibility signatures ("nrefs:1|case:mixed|...|version:2.4.0").
 */

/**
 * The sacreBLEU release whose algorithms, defaults and signature format this module replicates
 * (2.4.0; the BLEU and chrF computations are unchanged across 2.x). It appears as `version:` in
 * our signatures so a score can be compared with `sacrebleu` output of that version. It does
 * not claim the number was produced by the Python package.
 */
export const SACREBLEU_COMPAT_VERSION = '2.4.0';

/**
 * Formats a signature the way sacreBLEU's `Signature.format()` does: `nrefs` first, the
 * metric's own fields in order, `version` last, `key:value` pairs joined by `|`.
 *
 * @param numRefs References per segment, or `'var'` when segments have different counts.
 * @param fields The metric-specific fields, in sacreBLEU's order.
 */
export function formatSignature(numRefs: number | 'var', fields: ReadonlyArray<readonly [string, string | number]>): string {
  const pairs: Array<readonly [string, string | number]> = [['nrefs', numRefs], ...fields, ['version', SACREBLEU_COMPAT_VERSION]];
  return pairs.map(([key, value]) => `${key}:${value}`).join('|');
}

/** sacreBLEU reports a single count when every segment has the same number of references. */
export function describeRefCounts(counts: ReadonlySet<number>): number | 'var' {
  if (counts.size === 1) return counts.values().next().value as number;
  return counts.size === 0 ? 0 : 'var';
}

/** DOM-free parts of the attention heatmap (unit-tested under Node). */

/** Normalises one row's weights to shares of its maximum (0–1) for colour intensity. */
export function intensities(row: readonly number[]): number[] {
  const max = Math.max(0, ...row.filter(Number.isFinite));
  return row.map(v => (max > 0 && Number.isFinite(v) ? Math.max(0, v) / max : 0));
}

/** The source column with the highest weight of each row (-1 for an empty row). */
export function argmaxes(matrix: readonly (readonly number[])[]): number[] {
  return matrix.map(row => {
    let best = -1;
    row.forEach((v, i) => {
      if (Number.isFinite(v) && (best < 0 || v > row[best])) best = i;
    });
    return best;
  });
}

/** Shows a token visibly even when it is whitespace. */
export function displayToken(token: string): string {
  if (token === '') return '∅';
  if (token === ' ') return '␣';
  return token.replace(/\s/g, c => (c === '\t' ? '⇥' : c === '\n' ? '↵' : '␣'));
}

export function percent(p: number): string {
  if (!Number.isFinite(p)) return '–';
  return `${(p * 100).toFixed(p >= 0.995 || p < 0.1 ? 1 : 0)} %`;
}

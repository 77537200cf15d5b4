/**
 * The map as an HTML table (the heatmap's text alternative, under "Weights as a table"): output
 * tokens as rows with each token's probability, source tokens as columns. Cells are reachable
 * with the arrow keys (one tab stop for the grid); the focused cell is described in words.
 */
import { el, formatNumber } from '../common/dom';
import { t } from '../common/l10n';
import { argmaxes, displayToken, hasAttention, intensities, percent, type MapView } from './heatmap';

export function weightsTable(view: MapView): HTMLTableElement {
  const { sourceTokens, tokens, probabilities, attention } = view;
  const withAttention = hasAttention(view);
  const table = el('table', { id: 'heatmap', class: 'heatmap', 'aria-describedby': 'table-help' });
  table.append(el('caption', {}, withAttention ? t('Attention weights: rows are output tokens, columns are source tokens') : t('Output tokens and their probabilities')));
  const headRow = el('tr', {}, el('th', { scope: 'col', class: 'corner' }, t('Output ↓ / Source →')), el('th', { scope: 'col', class: 'prob-head' }, 'p'));
  if (withAttention) sourceTokens.forEach((token, j) => headRow.append(el('th', { scope: 'col', class: 'source-token', 'data-col': String(j), title: token }, displayToken(token))));
  table.append(el('thead', {}, headRow));
  const body = el('tbody');
  const best = argmaxes(attention);
  tokens.forEach((token, i) => {
    const p = probabilities[i];
    const row = el(
      'tr',
      { 'data-row': String(i) },
      el('th', { scope: 'row', class: 'output-token', title: token }, displayToken(token)),
      el('td', { class: 'prob', 'data-p': String(p) }, percent(p)),
    );
    const weights = attention[i] ?? [];
    if (withAttention) {
      const shade = intensities(weights);
      sourceTokens.forEach((source, j) => {
        const w = weights[j];
        const cell = el('td', {
          class: `cell${best[i] === j ? ' max' : ''}`,
          tabindex: i === 0 && j === 0 ? '0' : '-1',
          'data-row': String(i),
          'data-col': String(j),
          'aria-label': `${displayToken(token)} ← ${displayToken(source)}: ${formatNumber(w ?? NaN, 3)}`,
        }, w === undefined ? '' : w.toFixed(2));
        // CSSOM (not a style attribute): allowed under the CSP; the colour itself comes from the theme.
        cell.style.setProperty('--w', String(shade[j] ?? 0));
        row.append(cell);
      });
    }
    body.append(row);
  });
  table.append(body);
  return table;
}

/** Arrow-key navigation inside the table (roving tabindex); `describe` hears the focused cell. */
export function tableKeyboard(root: HTMLElement, describe: (text: string) => void): void {
  root.addEventListener('keydown', event => {
    const target = event.target as HTMLElement | null;
    if (!target?.classList.contains('cell')) return;
    const table = target.closest('table');
    if (!table) return;
    const row = Number(target.dataset.row);
    const col = Number(target.dataset.col);
    const lastRow = table.querySelectorAll('tbody tr').length - 1;
    const lastCol = table.querySelectorAll('thead th.source-token').length - 1;
    let next: [number, number] | undefined;
    switch (event.key) {
      case 'ArrowRight': next = [row, Math.min(lastCol, col + 1)]; break;
      case 'ArrowLeft': next = [row, Math.max(0, col - 1)]; break;
      case 'ArrowDown': next = [Math.min(lastRow, row + 1), col]; break;
      case 'ArrowUp': next = [Math.max(0, row - 1), col]; break;
      case 'Home': next = [row, 0]; break;
      case 'End': next = [row, lastCol]; break;
      default: return;
    }
    event.preventDefault();
    const cell = table.querySelector<HTMLElement>(`td.cell[data-row="${next[0]}"][data-col="${next[1]}"]`);
    if (!cell) return;
    target.tabIndex = -1;
    cell.tabIndex = 0;
    cell.focus();
  });
  root.addEventListener('focusin', event => {
    const target = event.target as HTMLElement | null;
    if (target?.classList.contains('cell')) describe(target.getAttribute('aria-label') ?? '');
  });
}

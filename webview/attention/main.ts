/**
 * The attention webview: a heatmap table of the translation's attention weights, output tokens
 * as rows (with the probability of each), source tokens as columns. Cells are reachable with
 * the arrow keys (one tab stop for the whole grid); the focused cell is described in words.
 * The translation is saved with setState so the panel restores after a window reload.
 */
import type { Translation } from '../../src/shared/protocol';
import type { AttentionState, HostToAttentionMessage } from '../../src/shared/webviewProtocol';
import { el, formatNumber, showContent } from '../common/dom';
import { onHostMessage, post, setState } from '../common/vscodeApi';
import { argmaxes, displayToken, intensities, percent } from './heatmap';

const detail = el('p', { id: 'cell-detail', role: 'status', 'aria-live': 'polite', class: 'help' });

function render(translation: Translation): void {
  const { sourceTokens, tokens, probabilities, attention } = translation;
  const hasAttention = attention.some(row => row.length > 0);
  const summary = el(
    'dl',
    { class: 'stats', id: 'translation-summary' },
    el('dt', {}, 'Source'),
    el('dd', { id: 'source-text' }, translation.source),
    el('dt', {}, 'Output'),
    el('dd', { id: 'output-text' }, translation.output),
  );
  const parts: Node[] = [el('h1', {}, 'Attention'), summary];
  if (!hasAttention) {
    parts.push(el('p', { id: 'no-attention', role: 'note' }, 'This model has no attention (attention = none): there are no weights to show.'));
  }
  const table = el('table', { id: 'heatmap', class: 'heatmap', 'aria-describedby': 'heatmap-help' });
  table.append(el('caption', {}, hasAttention ? 'Attention weights: rows are output tokens, columns are source tokens' : 'Output tokens and their probabilities'));
  const headRow = el('tr', {}, el('th', { scope: 'col', class: 'corner' }, 'Output ↓ / Source →'), el('th', { scope: 'col', class: 'prob-head' }, 'p'));
  if (hasAttention) sourceTokens.forEach((token, j) => headRow.append(el('th', { scope: 'col', class: 'source-token', 'data-col': String(j), title: token }, displayToken(token))));
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
    if (hasAttention) {
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
  const scroller = el('div', { class: 'heatmap-scroll', role: 'region', 'aria-label': 'Attention heatmap', tabindex: '-1' }, table);
  parts.push(
    scroller,
    el('p', { id: 'heatmap-help', class: 'help' }, hasAttention ? 'Arrow keys move between cells; Home/End go to the row\'s first/last cell. Darker cells mean more attention; the outlined cell is each row\'s maximum.' : ''),
    detail,
  );
  if (translation.candidates.length > 1) {
    const list = el('ol', { id: 'candidates' });
    for (const c of translation.candidates) list.append(el('li', {}, `${c.output} (log p ${formatNumber(c.logProbability, 3)})`));
    parts.push(el('h2', {}, 'Candidates'), list);
  }
  showContent(...parts);
  document.body.dataset.ready = 'true';
  document.body.dataset.rows = String(tokens.length);
  document.body.dataset.cols = String(hasAttention ? sourceTokens.length : 0);
}

/** Arrow-key navigation inside the grid (roving tabindex). */
document.addEventListener('keydown', event => {
  const target = event.target as HTMLElement | null;
  if (!target?.classList.contains('cell')) return;
  const row = Number(target.dataset.row);
  const col = Number(target.dataset.col);
  let next: [number, number] | undefined;
  const lastCol = Number(document.body.dataset.cols) - 1;
  const lastRow = Number(document.body.dataset.rows) - 1;
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
  const cell = document.querySelector<HTMLElement>(`td.cell[data-row="${next[0]}"][data-col="${next[1]}"]`);
  if (!cell) return;
  target.tabIndex = -1;
  cell.tabIndex = 0;
  cell.focus();
});

document.addEventListener('focusin', event => {
  const target = event.target as HTMLElement | null;
  if (target?.classList.contains('cell')) detail.textContent = target.getAttribute('aria-label') ?? '';
});

onHostMessage<HostToAttentionMessage>(message => {
  if (message.type !== 'translation' || typeof message.translation !== 'object' || message.translation === null) return;
  render(message.translation);
  const state: AttentionState = { translation: message.translation };
  setState(state);
});
post({ type: 'ready' });

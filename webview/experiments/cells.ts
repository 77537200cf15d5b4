/**
 * How each cell of the experiments table reads: localized state, durations, rates, metrics in
 * the registry's units (percentages for fractions), hyperparameters as the comparison shows
 * them. Text only through textContent (el); no state here.
 */
import { columnTitle, formatDuration, formatHyperparameter, sweepCellText, type Column, type ExperimentRow } from '../../src/shared/experimentsTable';
import { formatMetric, metricDefinition, type TargetUnit } from '../../src/shared/metrics';
import { el } from '../common/dom';
import { t } from '../common/l10n';

/** The localized state names (the same words as the Runs view). */
export function stateText(state: ExperimentRow['state']): string {
  switch (state) {
    case 'running': return t('running');
    case 'completed': return t('completed');
    case 'cancelled': return t('cancelled');
    case 'failed': return t('failed');
    case 'interrupted': return t('interrupted');
    case 'damaged': return t('damaged');
  }
}

export function heading(column: Column, unit: TargetUnit): string {
  return columnTitle(column, (template, ...args) => t(template, ...args), unit);
}

/** What the column's filter box suggests (its placeholder). */
export function filterHint(column: Column): string {
  if (column.kind === 'text') return t('values, e.g. a, b');
  if (column.metric && metricDefinition(column.metric)?.unit === 'fraction') return t('e.g. >90 (%)');
  if (column.id === 'duration') return t('e.g. <600 (s)');
  return t('e.g. 1..10, >5');
}

/** A cell's text (empty cells read "—"). */
export function cellText(row: ExperimentRow, column: Column): string {
  switch (column.id) {
    case 'star': return row.starred ? '★' : '☆';
    case 'state': return stateText(row.state);
    case 'name': return row.name;
    case 'notes': return row.notes.split('\n')[0] ?? '';
    case 'dataset': return row.dataset || '—';
    case 'sweep': return row.sweep ? sweepCellText(row.sweep) : '—';
    case 'created': return row.createdAt ? new Date(row.createdAt).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }) : '—';
    case 'duration': return formatDuration(row.durationSeconds);
    case 'tokensPerSecond': return row.tokensPerSecond !== undefined ? Math.round(row.tokensPerSecond).toLocaleString() : '—';
    case 'step': return row.step !== undefined ? row.step.toLocaleString() : '—';
  }
  if (column.metric) return formatMetric(column.metric, (column.which === 'best' ? row.best : row.final)[column.metric]);
  return column.key !== undefined ? formatHyperparameter(row.config[column.key]) : '—';
}

/** The cell for a column (star, name and notes carry their buttons). */
export function cell(row: ExperimentRow, column: Column): HTMLTableCellElement {
  const attrs: Record<string, string> = { 'data-column': column.id, class: column.kind === 'number' ? 'num' : '' };
  if (column.id === 'star') {
    const star = el('button', { type: 'button', class: 'star icon', 'aria-pressed': String(row.starred), 'aria-label': t('Star {0}', row.name), title: t('Star (S)'), tabindex: '-1' }, cellText(row, column));
    return el('td', attrs, star);
  }
  if (column.id === 'sweep' && row.sweep) {
    return el('td', attrs, el('button', { type: 'button', class: 'link', 'data-action': 'sweep', 'aria-label': t('Show the sweep page of {0}', row.sweep.id), title: t('Show the sweep page (W)'), tabindex: '-1' }, cellText(row, column)));
  }
  if (column.id === 'state') return el('td', attrs, el('span', { class: `state state-${row.state}`, ...(row.problem ? { title: row.problem } : {}) }, cellText(row, column)));
  if (column.id === 'name') {
    return el('td', { ...attrs, title: row.runDir },
      el('span', { class: 'name' }, row.name),
      row.name !== row.folder ? el('span', { class: 'folder' }, row.folder) : undefined,
      el('button', { type: 'button', class: 'edit icon', 'data-edit': 'name', 'aria-label': t('Rename {0}', row.name), title: t('Rename (F2)'), tabindex: '-1' }, '✎'));
  }
  if (column.id === 'notes') {
    return el('td', { ...attrs, ...(row.notes ? { title: row.notes } : {}) },
      el('span', { class: 'notes' }, cellText(row, column)),
      el('button', { type: 'button', class: 'edit icon', 'data-edit': 'notes', 'aria-label': t('Edit the notes of {0}', row.name), title: t('Edit notes (N)'), tabindex: '-1' }, '✎'));
  }
  return el('td', attrs, cellText(row, column));
}

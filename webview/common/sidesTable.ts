/**
 * The source/target table of the form's dataset card and the dashboard's Decisions section:
 * one row per statistic, a row header, one column per side. Text only through textContent.
 */
import type { SideRow } from './decisions';
import { el } from './dom';
import { t } from './l10n';

export function sidesTable(rows: readonly SideRow[], caption: HTMLTableCaptionElement, attrs: Record<string, string> = {}): HTMLTableElement {
  const head = el('tr', {}, el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, t('Statistic'))), el('th', { scope: 'col' }, t('Source')), el('th', { scope: 'col' }, t('Target')));
  const body = rows.map(row => el('tr', {}, el('th', { scope: 'row' }, row.label), el('td', {}, row.source), el('td', {}, row.target)));
  return el('table', { ...attrs, class: ['data-sides', attrs.class].filter(Boolean).join(' ') }, caption, el('thead', {}, head), el('tbody', {}, ...body));
}

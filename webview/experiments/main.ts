/**
 * The experiments table webview: every run of the runs directory as a row (the host sends them
 * all again whenever one changes), sorted, filtered and laid out with the shared model
 * (src/shared/experimentsTable.ts); name and notes edited in place; star, hide, select several
 * for Compare / Delete; Export CSV; "Queue with these settings" and "Train with these
 * settings…" per row.
 *
 * Keyboard: the rows are one tab stop (roving tabindex); ↑/↓/Home/End move, Space selects,
 * Enter opens the dashboard, F2 renames, N edits notes, S stars, H hides, Q queues a run with
 * the row's settings, T opens the Train Model form with them, Delete
 * deletes, Ctrl+A selects all shown, Escape clears the selection. Sort and filter state, and
 * the column choice, are kept with setState (restored after a reload).
 *
 * Why one file past 400 lines: it is only the DOM side of one table (render, edit in place,
 * keyboard, context actions) sharing the focus and edit state above; every rule about rows
 * (columns, sort, filter, CSV) is in the shared model, which has its own tests.
 */
import type { ExperimentsState, HostToExperimentsMessage } from '../../src/shared/experimentsProtocol';
import { parseExperimentsState } from '../../src/shared/experimentsProtocol';
import { filterRows, sortRows, tableColumns, type Column, type ExperimentRow } from '../../src/shared/experimentsTable';
import { metricDefinition, type TargetUnit } from '../../src/shared/metrics';
import { el, showContent } from '../common/dom';
import { t, useL10nBundle } from '../common/l10n';
import { getState, onHostMessage, post, setState } from '../common/vscodeApi';
import { cell, filterHint, heading } from './cells';

const saved = parseExperimentsState(getState());
const view: ExperimentsState = saved.ok ? saved.value : { filter: { text: '', columns: {}, showHidden: false, starredOnly: false }, allHyperparameters: false, allMetrics: false };

let rows: ExperimentRow[] = [];
let directory = '';
let canQueue = false;
let trusted = true;
let columns: Column[] = [];
let shownRows: ExperimentRow[] = [];
const selected = new Set<string>();
/** The row with the tab stop. */
let focusDir: string | undefined;
/** Rows that arrived while the user was editing a cell: applied when the edit ends. */
let deferred: ExperimentRow[] | undefined;
let built = false;

function save(): void {
  setState(view);
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

// ---------------------------------------------------------------------------------------------
// Layout.

function checkbox(id: string, label: string, checked: boolean, onChange: (value: boolean) => void): HTMLElement {
  const input = el('input', { type: 'checkbox', id });
  input.checked = checked;
  input.addEventListener('change', () => onChange(input.checked));
  return el('label', { class: 'control' }, input, label);
}

function button(id: string, label: string, onClick: () => void, title?: string): HTMLButtonElement {
  const b = el('button', { type: 'button', id, ...(title ? { title } : {}) }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** The page's fixed parts, built once (the bundle is loaded by then). */
function build(): void {
  const search = el('input', { type: 'search', id: 'search', 'aria-label': t('Search runs'), placeholder: t('Search names, notes, settings…') });
  search.value = view.filter.text;
  search.addEventListener('input', () => {
    view.filter.text = search.value;
    save();
    render();
  });
  const filters = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': t('Filters and columns') },
    search,
    checkbox('starred-only', t('Starred only'), view.filter.starredOnly, v => { view.filter.starredOnly = v; save(); render(); }),
    el('span', { id: 'hidden-control' }, checkbox('show-hidden', t('Show hidden runs'), view.filter.showHidden, v => { view.filter.showHidden = v; save(); render(); })),
    checkbox('all-hyperparameters', t('All hyperparameters'), view.allHyperparameters, v => { view.allHyperparameters = v; save(); render(); }),
    checkbox('all-metrics', t('All metrics'), view.allMetrics, v => { view.allMetrics = v; save(); render(); }),
    button('clear-filters', t('Clear filters'), () => {
      view.filter = { text: '', columns: {}, showHidden: view.filter.showHidden, starredOnly: false };
      search.value = '';
      (byId<HTMLInputElement>('starred-only')).checked = false;
      save();
      render(true);
    }),
  );
  const actions = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': t('Selected runs') },
    el('span', { id: 'selection-status', role: 'status' }),
    button('compare', t('Compare / overlay curves'), () => post({ type: 'compare', runDirs: selectedDirs() }), t('Compare the selected runs: settings, final metrics, validation curves overlaid (C)')),
    button('star-selected', t('Star'), () => starSelected()),
    button('hide-selected', t('Hide'), () => hideSelected()),
    button('delete-selected', t('Delete…'), () => deleteSelected()),
    button('export', t('Export CSV…'), () => post({ type: 'exportCsv', runDirs: shownRows.map(r => r.runDir), columns: columns.map(c => c.id) }), t('The runs and columns shown, in this order')),
  );
  const table = el('table', { id: 'experiments', 'aria-describedby': 'shortcuts' },
    el('caption', { id: 'table-caption' }),
    el('thead'),
    el('tbody'),
  );
  table.tBodies[0].addEventListener('keydown', onRowKey);
  table.tBodies[0].addEventListener('click', onRowClick);
  table.tBodies[0].addEventListener('focusin', event => {
    const tr = (event.target as HTMLElement).closest('tr');
    if (tr?.dataset.runDir) setFocusRow(tr.dataset.runDir, false);
  });
  showContent(
    el('h1', {}, t('Experiments')),
    el('p', { id: 'directory', class: 'help' }),
    filters,
    actions,
    el('p', { id: 'filter-errors', class: 'error', role: 'alert' }),
    el('div', { class: 'table-scroll', role: 'region', 'aria-labelledby': 'table-caption' }, table),
    el('p', { id: 'empty', class: 'help', hidden: '' }),
    el('p', { id: 'shortcuts', class: 'help' }, t('Keys in the table: ↑/↓ move · Space select · Enter dashboard · F2 rename · N notes · S star · H hide · Q queue with these settings · T train with them (form) · Delete delete · Ctrl+A select all · Esc clear selection')),
  );
  built = true;
}

function targetUnit(list: readonly ExperimentRow[]): TargetUnit {
  return list.length > 0 && list.every(r => r.targetUnit === 'phoneme') ? 'phoneme' : 'word';
}

/** The header: one sortable heading per column, then one filter box per column. */
function renderHead(unit: TargetUnit, errors: Record<string, string>): void {
  const thead = byId<HTMLTableElement>('experiments').tHead!;
  const headings = el('tr', { class: 'headings' });
  const all = el('input', { type: 'checkbox', id: 'select-all', 'aria-label': t('Select all shown runs') });
  all.addEventListener('change', () => {
    for (const r of shownRows) if (all.checked) selected.add(r.runDir); else selected.delete(r.runDir);
    render();
  });
  headings.append(el('th', { scope: 'col', class: 'select' }, all));
  const filters = el('tr', { class: 'filters' }, el('td'));
  for (const column of columns) {
    const sorted = view.sort?.column === column.id;
    const label = heading(column, unit);
    // The star column is one character wide: its heading is a star, its name the button's label.
    const sort = el('button', { type: 'button', class: 'sort', 'data-column': column.id, title: column.metric ? t(metricDefinition(column.metric)!.description) : label, ...(column.id === 'star' ? { 'aria-label': label } : {}) },
      column.id === 'star' ? '★' : label, el('span', { class: 'sort-mark', 'aria-hidden': 'true' }, sorted ? (view.sort!.descending ? ' ▼' : ' ▲') : ''));
    sort.addEventListener('click', () => sortBy(column));
    headings.append(el('th', { scope: 'col', class: `${column.group} ${column.kind === 'number' ? 'num' : ''}`, 'data-column': column.id, 'aria-sort': sorted ? (view.sort!.descending ? 'descending' : 'ascending') : 'none' }, sort));
    const input = el('input', { type: 'text', class: 'column-filter', 'data-column': column.id, 'aria-label': t('Filter {0}', label), placeholder: filterHint(column), spellcheck: 'false' });
    input.value = view.filter.columns[column.id] ?? '';
    if (errors[column.id]) {
      input.setAttribute('aria-invalid', 'true');
      input.title = errors[column.id];
    }
    input.addEventListener('input', () => {
      if (input.value) view.filter.columns[column.id] = input.value;
      else delete view.filter.columns[column.id];
      save();
      render();
    });
    filters.append(el('td', { 'data-column': column.id }, column.id === 'star' ? undefined : input));
  }
  headings.append(el('th', { scope: 'col' }, t('Actions')));
  filters.append(el('td'));
  thead.replaceChildren(headings, filters);
}

function sortBy(column: Column): void {
  if (view.sort?.column === column.id) view.sort = { column: column.id, descending: !view.sort.descending };
  // The first click on a metric puts the best runs first.
  else view.sort = { column: column.id, descending: column.metric ? !metricDefinition(column.metric)!.lowerIsBetter : false };
  save();
  render(true);
  (document.querySelector(`button.sort[data-column="${CSS.escape(column.id)}"]`) as HTMLElement | null)?.focus();
}

function rowElement(row: ExperimentRow): HTMLTableRowElement {
  const select = el('input', { type: 'checkbox', class: 'select', 'aria-label': t('Select {0}', row.name), tabindex: '-1' });
  select.checked = selected.has(row.runDir);
  const tr = el('tr', { 'data-run-dir': row.runDir, tabindex: row.runDir === focusDir ? '0' : '-1', class: [selected.has(row.runDir) ? 'selected' : '', row.hidden ? 'hidden-run' : ''].filter(Boolean).join(' ') },
    el('td', { class: 'select' }, select));
  for (const column of columns) tr.append(cell(row, column));
  const actions = el('td', { class: 'actions' },
    el('button', { type: 'button', 'data-action': 'open', tabindex: '-1', title: t('Open the dashboard (Enter)') }, t('Dashboard')),
    canQueue ? el('button', { type: 'button', 'data-action': 'queue', tabindex: '-1', ...(trusted ? {} : { disabled: '' }), title: t('Queue a run with this run\'s data and settings (Q)') }, t('Queue with these settings')) : undefined,
    el('button', { type: 'button', 'data-action': 'train', tabindex: '-1', ...(trusted ? {} : { disabled: '' }), title: t('Open Train Model with this run\'s data and settings (T)') }, t('Train with these settings…')),
    el('button', { type: 'button', 'data-action': 'hide', tabindex: '-1', title: t('Hide (H)') }, row.hidden ? t('Unhide') : t('Hide')),
  );
  tr.append(actions);
  return tr;
}

/** Applies filter and sort to the rows and redraws the table (the header when the columns changed or `head`). */
function render(head = false): void {
  if (!built) return;
  const filtered = filterRows(rows, view.filter);
  shownRows = sortRows(filtered.rows, view.sort);
  // Columns with a filter stay, even when the filter leaves their values all alike.
  const next = tableColumns(shownRows, view).concat();
  for (const id of Object.keys(view.filter.columns)) {
    if (!next.some(c => c.id === id)) {
      const all = tableColumns(rows, { allHyperparameters: true, allMetrics: true }).find(c => c.id === id);
      if (all) next.push(all);
    }
  }
  const unit = targetUnit(shownRows);
  const changed = head || next.map(c => c.id).join() !== columns.map(c => c.id).join() || Object.keys(filtered.errors).join() !== byId('filter-errors').dataset.columns;
  columns = next;
  if (changed) {
    const active = document.activeElement as HTMLElement | null;
    const activeFilter = active?.classList.contains('column-filter') ? active.dataset.column : undefined;
    const caret = activeFilter ? (active as HTMLInputElement).selectionStart : null;
    renderHead(unit, filtered.errors);
    if (activeFilter) {
      const input = document.querySelector(`input.column-filter[data-column="${CSS.escape(activeFilter)}"]`) as HTMLInputElement | null;
      input?.focus();
      if (input && caret !== null) input.setSelectionRange(caret, caret);
    }
  }
  const errors = byId('filter-errors');
  errors.dataset.columns = Object.keys(filtered.errors).join();
  errors.textContent = Object.entries(filtered.errors).map(([id, message]) => `${heading(columns.find(c => c.id === id) ?? { id, kind: 'text', group: 'run', label: id }, unit)}: ${message}`).join(' · ');
  for (const c of Array.from(document.querySelectorAll<HTMLInputElement>('input.column-filter'))) {
    const error = filtered.errors[c.dataset.column ?? ''];
    if (error) { c.setAttribute('aria-invalid', 'true'); c.title = error; } else { c.removeAttribute('aria-invalid'); c.title = ''; }
  }
  for (const dir of [...selected]) if (!rows.some(r => r.runDir === dir)) selected.delete(dir);
  if (!focusDir || !shownRows.some(r => r.runDir === focusDir)) focusDir = shownRows[0]?.runDir;
  const tbody = byId<HTMLTableElement>('experiments').tBodies[0];
  const hadFocus = tbody.contains(document.activeElement) && document.activeElement instanceof HTMLTableRowElement;
  tbody.replaceChildren(...shownRows.map(rowElement));
  if (hadFocus) focusedRow()?.focus();
  byId('table-caption').textContent = t('{0} of {1} runs shown', shownRows.length, rows.length);
  byId('directory').textContent = directory;
  const hiddenTotal = rows.filter(r => r.hidden).length;
  byId('hidden-control').hidden = hiddenTotal === 0;
  byId('hidden-control').querySelector('label')!.lastChild!.textContent = t('Show hidden runs ({0})', hiddenTotal);
  const empty = byId('empty');
  empty.hidden = shownRows.length > 0;
  empty.textContent = rows.length === 0 ? t('No runs yet: train a model (Seq2Seq: Train Model) and it appears here.') : t('No run matches the filters.');
  updateSelection();
  document.body.dataset.ready = 'true';
  document.body.dataset.rows = String(shownRows.length);
}

function updateSelection(): void {
  const count = selectedDirs().length;
  byId('selection-status').textContent = count === 0 ? t('No run selected') : count === 1 ? t('1 run selected') : t('{0} runs selected', count);
  byId<HTMLButtonElement>('compare').disabled = count < 2;
  byId<HTMLButtonElement>('star-selected').disabled = count === 0;
  byId<HTMLButtonElement>('hide-selected').disabled = count === 0;
  byId<HTMLButtonElement>('delete-selected').disabled = count === 0 || !trusted;
  byId<HTMLButtonElement>('export').disabled = shownRows.length === 0;
  const all = document.getElementById('select-all') as HTMLInputElement | null;
  if (all) {
    const shownSelected = shownRows.filter(r => selected.has(r.runDir)).length;
    all.checked = shownSelected > 0 && shownSelected === shownRows.length;
    all.indeterminate = shownSelected > 0 && shownSelected < shownRows.length;
  }
}

// ---------------------------------------------------------------------------------------------
// Selection and actions.

/** Selected runs in the order shown (selected runs filtered out are left out of actions). */
function selectedDirs(): string[] {
  return shownRows.filter(r => selected.has(r.runDir)).map(r => r.runDir);
}

/** The selection, or the focused row when nothing is selected. */
function targetDirs(): string[] {
  const dirs = selectedDirs();
  return dirs.length ? dirs : focusDir ? [focusDir] : [];
}

function rowOf(dir: string | undefined): ExperimentRow | undefined {
  return rows.find(r => r.runDir === dir);
}

function starSelected(): void {
  const dirs = targetDirs();
  if (!dirs.length) return;
  post({ type: 'star', runDirs: dirs, starred: !dirs.every(d => rowOf(d)?.starred) });
}

function hideSelected(): void {
  const dirs = targetDirs();
  if (!dirs.length) return;
  post({ type: 'hide', runDirs: dirs, hidden: !dirs.every(d => rowOf(d)?.hidden) });
}

function deleteSelected(): void {
  const dirs = targetDirs();
  if (dirs.length && trusted) post({ type: 'delete', runDirs: dirs });
}

function toggleSelected(dir: string): void {
  if (selected.has(dir)) selected.delete(dir);
  else selected.add(dir);
  const tr = rowElementOf(dir);
  tr?.classList.toggle('selected', selected.has(dir));
  const box = tr?.querySelector('input.select') as HTMLInputElement | null;
  if (box) box.checked = selected.has(dir);
  updateSelection();
}

function rowElementOf(dir: string | undefined): HTMLTableRowElement | undefined {
  if (!dir) return undefined;
  return Array.from(byId<HTMLTableElement>('experiments').tBodies[0].rows).find(r => r.dataset.runDir === dir);
}

function focusedRow(): HTMLTableRowElement | undefined {
  return rowElementOf(focusDir);
}

function setFocusRow(dir: string, focus = true): void {
  focusDir = dir;
  for (const tr of Array.from(byId<HTMLTableElement>('experiments').tBodies[0].rows)) tr.tabIndex = tr.dataset.runDir === dir ? 0 : -1;
  if (focus) {
    const tr = focusedRow();
    tr?.focus();
    tr?.scrollIntoView({ block: 'nearest' });
  }
}

// ---------------------------------------------------------------------------------------------
// Editing name and notes in place.

function edit(dir: string, field: 'name' | 'notes'): void {
  const row = rowOf(dir);
  const td = rowElementOf(dir)?.querySelector(`td[data-column="${field}"]`) as HTMLTableCellElement | null;
  if (!row || !td) return;
  const original = field === 'name' ? row.name : row.notes;
  const input = field === 'name'
    ? el('input', { type: 'text', class: 'cell-editor', 'aria-label': t('Name of {0}', row.folder), maxlength: '200' })
    : el('textarea', { class: 'cell-editor', rows: '3', 'aria-label': t('Notes of {0}', row.name), 'aria-description': t('Ctrl+Enter saves, Escape cancels'), maxlength: '20000' });
  input.value = original;
  let done = false;
  const finish = (commit: boolean) => {
    if (done) return;
    done = true;
    const value = input.value;
    if (commit && value !== original) {
      // Shown at once; the host writes annotations.json and sends the rows again.
      if (field === 'name') row.name = value.trim() || row.folder;
      else row.notes = value;
      post(field === 'name' ? { type: 'rename', runDir: dir, name: value.trim() } : { type: 'notes', runDir: dir, notes: value });
    }
    if (deferred) {
      rows = deferred;
      deferred = undefined;
    }
    render();
    setFocusRow(dir);
  };
  input.addEventListener('keydown', (event: Event) => {
    if (!(event instanceof KeyboardEvent)) return;
    event.stopPropagation();
    if (event.key === 'Escape') finish(false);
    else if (event.key === 'Enter' && (field === 'name' || event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      finish(true);
    }
  });
  input.addEventListener('blur', () => finish(true));
  td.replaceChildren(input);
  input.focus();
  input.select();
}

function editing(): boolean {
  return document.activeElement?.classList.contains('cell-editor') === true;
}

// ---------------------------------------------------------------------------------------------
// Events.

function onRowClick(event: MouseEvent): void {
  const target = event.target as HTMLElement;
  const tr = target.closest('tr');
  const dir = tr?.dataset.runDir;
  if (!dir || target.classList.contains('cell-editor')) return;
  setFocusRow(dir, !(target instanceof HTMLButtonElement || target instanceof HTMLInputElement));
  if (target.matches('input.select')) toggleSelected(dir);
  else if (target.closest('button.star')) post({ type: 'star', runDirs: [dir], starred: !rowOf(dir)?.starred });
  else if (target.closest('button[data-edit]')) edit(dir, (target.closest('button[data-edit]') as HTMLElement).dataset.edit as 'name' | 'notes');
  else if (target.closest('button[data-action="open"]')) post({ type: 'open', runDir: dir });
  else if (target.closest('button[data-action="queue"]')) post({ type: 'queueFrom', runDir: dir });
  else if (target.closest('button[data-action="train"]')) post({ type: 'trainFrom', runDir: dir });
  else if (target.closest('button[data-action="sweep"]')) post({ type: 'openSweep', runDir: dir });
  else if (target.closest('button[data-action="hide"]')) post({ type: 'hide', runDirs: [dir], hidden: !rowOf(dir)?.hidden });
}

function onRowKey(event: KeyboardEvent): void {
  const tr = (event.target as HTMLElement).closest('tr');
  if (!tr?.dataset.runDir || editing()) return;
  // Keys typed into a control of the row (a button's Space) stay that control's.
  const onRow = event.target === tr;
  const dir = tr.dataset.runDir;
  const index = shownRows.findIndex(r => r.runDir === dir);
  const move = (to: number) => {
    const next = shownRows[Math.max(0, Math.min(shownRows.length - 1, to))];
    if (next) setFocusRow(next.runDir);
  };
  const key = event.key;
  const handled = (() => {
    if (key === 'ArrowDown') move(index + 1);
    else if (key === 'ArrowUp') move(index - 1);
    else if (key === 'Home') move(0);
    else if (key === 'End') move(shownRows.length - 1);
    else if (key === 'PageDown') move(index + 10);
    else if (key === 'PageUp') move(index - 10);
    else if (!onRow) return false;
    else if (key === ' ') toggleSelected(dir);
    else if (key === 'Enter') post({ type: 'open', runDir: dir });
    else if (key === 'F2') edit(dir, 'name');
    else if (key === 'n' || key === 'N') edit(dir, 'notes');
    else if (key === 's' || key === 'S') starSelected();
    else if (key === 'h' || key === 'H') hideSelected();
    else if ((key === 'q' || key === 'Q') && trusted && canQueue) post({ type: 'queueFrom', runDir: dir });
    else if ((key === 't' || key === 'T') && trusted) post({ type: 'trainFrom', runDir: dir });
    else if ((key === 'w' || key === 'W') && rowOf(dir)?.sweep) post({ type: 'openSweep', runDir: dir });
    else if ((key === 'c' || key === 'C') && selectedDirs().length >= 2) post({ type: 'compare', runDirs: selectedDirs() });
    else if (key === 'Delete') deleteSelected();
    else if (key === 'Escape') {
      selected.clear();
      render();
    } else if ((key === 'a' || key === 'A') && (event.ctrlKey || event.metaKey)) {
      for (const r of shownRows) selected.add(r.runDir);
      render();
    } else return false;
    return true;
  })();
  if (handled) {
    event.preventDefault();
    event.stopPropagation();
  }
}

/** Shows a run's row: filters that hide it are cleared, then it is the only selection and has focus. */
function reveal(dir: string): void {
  const row = rowOf(dir);
  if (!row) return;
  if (!shownRows.some(r => r.runDir === dir)) {
    view.filter = { text: '', columns: {}, showHidden: view.filter.showHidden || row.hidden, starredOnly: false };
    byId<HTMLInputElement>('search').value = '';
    byId<HTMLInputElement>('starred-only').checked = false;
    byId<HTMLInputElement>('show-hidden').checked = view.filter.showHidden;
    save();
  }
  selected.clear();
  selected.add(dir);
  focusDir = dir;
  render(true);
  setFocusRow(dir);
  const tr = focusedRow();
  tr?.classList.add('revealed');
  document.body.dataset.revealed = dir;
}

onHostMessage<HostToExperimentsMessage>(message => {
  if (message.type === 'rows') {
    useL10nBundle(message.l10n);
    directory = message.directory;
    canQueue = message.canQueue;
    trusted = message.trusted;
    if (!built) build();
    if (editing()) deferred = message.rows;
    else {
      rows = message.rows;
      render();
    }
  } else if (message.type === 'reveal') {
    reveal(message.runDir);
  } else if (message.type === 'failed') {
    showContent(el('p', { class: 'error', role: 'alert', id: 'failure' }, message.message));
    built = false;
    document.body.dataset.ready = 'failed';
  }
});
save();
post({ type: 'ready' });

/**
 * The prediction diffs webview: every sample of a split with its reference and prediction
 * aligned token by token (model.ts), each predicted token shaded by its probability; sort and
 * filter controls; a summary line; and, when two prediction sets come, which samples got better
 * or worse and the token diff between the two predictions.
 *
 * The list is virtualized: only the rows in view (plus a few) exist in the DOM, so 10,000
 * samples scroll as fast as 10. It is one tab stop; arrow keys, Page Up/Down, Home and End move
 * the active row (aria-activedescendant), which is described in a live region.
 */
import type { PredictedSample } from '../../src/shared/protocol';
import type { DiffsState, HostToDiffsMessage, PredictionSet } from '../../src/shared/diffsProtocol';
import { el, showContent } from '../common/dom';
import { getState, onHostMessage, post, setState } from '../common/vscodeApi';
import {
  analyzeSample, compareSamples, comparabilityProblem, countChanges, DEFAULT_QUERY, displayToken, formatSummary, scrollToRow, selectRows, summarize,
  visibleWindow, type AlignedCell, type ChangeFilter, type ComparedSample, type RowQuery, type SampleStats, type SortKey,
} from './model';

interface ViewState extends Partial<DiffsState> {
  query?: RowQuery;
}

/** The saved view settings, checked (the state is ours, but it survives extension updates). */
function savedQuery(): RowQuery {
  const q = (getState() as ViewState | undefined)?.query;
  if (!q || typeof q !== 'object') return { ...DEFAULT_QUERY };
  return {
    sort: (['index', 'editDistance', 'bleu', 'length'] as const).find(s => s === q.sort) ?? 'index',
    token: typeof q.token === 'string' ? q.token.slice(0, 200) : '',
    onlyWrong: q.onlyWrong === true,
    change: (['all', 'improved', 'regressed', 'changed'] as const).find(c => c === q.change) ?? 'all',
  };
}

let state: ViewState = { ...((getState() as ViewState | undefined) ?? {}), query: savedQuery() };
let title = 'Prediction diffs';

function save(): void {
  setState(state);
}

// ---------------------------------------------------------------------------------------------
// Loading state.

function showProgress(label: string, done: number, total: number): void {
  let bar = document.getElementById('predict-progress') as HTMLProgressElement | null;
  if (!bar) {
    bar = el('progress', { id: 'predict-progress', max: '1', value: '0', 'aria-label': 'Prediction progress' });
    const cancel = el('button', { id: 'cancel', type: 'button' }, 'Cancel');
    cancel.addEventListener('click', () => post({ type: 'cancel' }));
    const main = document.getElementById('app')!;
    main.setAttribute('aria-busy', 'true');
    main.replaceChildren(el('h1', {}, title), el('p', { id: 'progress-label', class: 'loading', role: 'status' }), bar, el('p', {}, cancel));
  }
  bar.max = Math.max(1, total);
  bar.value = done;
  document.getElementById('progress-label')!.textContent = `${label}: ${done} of ${total} samples predicted…`;
}

function showFailure(message: string): void {
  const retry = el('button', { id: 'retry', type: 'button' }, 'Predict again');
  retry.addEventListener('click', () => post({ type: 'retry' }));
  showContent(el('h1', {}, title), el('p', { id: 'failure', class: 'error', role: 'alert' }, message), el('p', {}, retry));
  document.body.dataset.ready = 'failed';
}

// ---------------------------------------------------------------------------------------------
// The list.

interface View {
  a: PredictionSet;
  b?: PredictionSet;
  /** The set whose predictions are diffed against the references (B when comparing). */
  shown: PredictionSet;
  stats: SampleStats[];
  compared?: ComparedSample[];
  rows: number[];
  active: number;
}

let view: View | undefined;

const ROW_HEIGHT = { single: 84, compare: 112 };
const rowHeight = () => (view?.compared ? ROW_HEIGHT.compare : ROW_HEIGHT.single);

const list = el('div', { id: 'rows', class: 'rows', role: 'listbox', tabindex: '0', 'aria-label': 'Samples', 'aria-describedby': 'rows-help' });
const spacer = el('div', { class: 'spacer' });
list.append(spacer);
const rowDetail = el('p', { id: 'row-detail', class: 'help', role: 'status', 'aria-live': 'polite' });

function percent(p: number): string {
  return `${Math.round(p * 100)} %`;
}

/** One aligned column: top token over bottom token, marked by kind; the bottom one shaded by p. */
function cellNode(cell: AlignedCell, probabilities: readonly number[] | undefined, labels: [string, string]): HTMLElement {
  const p = cell.predIndex !== undefined && probabilities ? probabilities[cell.predIndex] : undefined;
  const top = el('span', { class: 'tok top' }, cell.ref === undefined ? '' : displayToken(cell.ref));
  const bottom = el('span', { class: 'tok bottom' }, cell.pred === undefined ? '' : displayToken(cell.pred));
  if (p !== undefined) bottom.style.setProperty('--p', String(p));
  const what = {
    match: `${displayToken(cell.ref)}`,
    sub: `${labels[0]} ${displayToken(cell.ref)}, ${labels[1]} ${displayToken(cell.pred)}`,
    del: `${labels[0]} ${displayToken(cell.ref)} missing from ${labels[1]}`,
    ins: `${labels[1]} adds ${displayToken(cell.pred)}`,
  }[cell.kind];
  return el('span', { class: `col ${cell.kind}`, title: `${cell.kind === 'match' ? 'same' : cell.kind === 'sub' ? 'substitution' : cell.kind === 'del' ? 'deletion' : 'insertion'}: ${what}${p === undefined ? '' : ` (p ${percent(p)})`}` }, top, bottom);
}

function alignment(cells: AlignedCell[], probabilities: readonly number[], labels: [string, string], className: string): HTMLElement {
  const line = el('div', { class: `align ${className}`, 'aria-hidden': 'true' });
  line.append(el('span', { class: 'side' }, el('span', { class: 'tok top' }, labels[0]), el('span', { class: 'tok bottom' }, labels[1])));
  for (const cell of cells) line.append(cellNode(cell, probabilities, labels));
  return line;
}

function describeRow(position: number): string {
  if (!view) return '';
  const i = view.rows[position];
  const s = view.stats[i];
  const sample = view.shown.samples[i];
  const base = `Sample ${s.index + 1}: ${sample.source}. Reference ${sample.reference}. Prediction ${sample.prediction}. ${s.exact ? 'Correct' : `${s.editDistance} edits`}, BLEU ${s.bleu.toFixed(1)}.`;
  if (!view.compared || !view.b) return base;
  const c = view.compared[i];
  return `Sample ${s.index + 1}: ${sample.source}. Reference ${sample.reference}. A: ${view.a.samples[i].prediction} (${c.distanceA} edits). B: ${sample.prediction} (${c.distanceB} edits). ${c.change}.`;
}

function rowNode(position: number): HTMLElement {
  const v = view!;
  const i = v.rows[position];
  const s = v.stats[i];
  const sample: PredictedSample = v.shown.samples[i];
  const compared = v.compared?.[i];
  const classes = ['row', s.exact ? 'exact' : 'wrong'];
  if (compared) classes.push(compared.change);
  if (position === v.active) classes.push('active');
  const row = el('div', {
    id: `row-${position}`, class: classes.join(' '), role: 'option', 'aria-selected': position === v.active ? 'true' : 'false',
    'aria-posinset': String(position + 1), 'aria-setsize': String(v.rows.length), 'aria-label': describeRow(position), 'data-index': String(s.index),
  });
  row.style.top = `${position * rowHeight()}px`;
  row.style.height = `${rowHeight() - 6}px`;
  const badges: Array<Node | string> = [];
  if (compared) {
    badges.push(el('span', { class: `badge change ${compared.change}` }, compared.change === 'same' ? 'unchanged' : compared.change), ` edits ${compared.distanceA} → ${compared.distanceB}`);
  } else {
    badges.push(el('span', { class: `badge ${s.exact ? 'ok' : 'bad'}` }, s.exact ? 'correct' : `${s.editDistance} edit${s.editDistance === 1 ? '' : 's'}`), ` BLEU ${s.bleu.toFixed(1)}`);
  }
  row.append(el('div', { class: 'head' }, el('span', { class: 'num' }, `#${s.index + 1}`), el('span', { class: 'source', title: sample.source }, sample.source), el('span', { class: 'score' }, ...badges)));
  if (compared) {
    row.append(el('div', { class: 'ref-line' }, el('span', { class: 'side-label' }, 'ref'), ' ', sample.reference));
    row.append(alignment(compared.between, sample.probabilities, ['A', 'B'], 'between'));
  } else {
    row.append(alignment(s.cells, sample.probabilities, ['ref', 'pred'], 'vs-ref'));
  }
  return row;
}

let frame = 0;
function scheduleRender(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    renderWindow();
  });
}

function renderWindow(): void {
  if (!view) return;
  const w = visibleWindow(list.scrollTop, list.clientHeight, rowHeight(), view.rows.length, 4);
  spacer.style.height = `${w.totalHeight}px`;
  const nodes: HTMLElement[] = [];
  for (let position = w.first; position < w.end; position++) nodes.push(rowNode(position));
  list.replaceChildren(spacer, ...nodes);
  list.dataset.first = String(w.first);
  list.dataset.end = String(w.end);
  if (view.rows.length) list.setAttribute('aria-activedescendant', `row-${view.active}`);
  else list.removeAttribute('aria-activedescendant');
}

function setActive(position: number): void {
  if (!view || view.rows.length === 0) return;
  view.active = Math.max(0, Math.min(view.rows.length - 1, position));
  list.scrollTop = scrollToRow(view.active, list.scrollTop, list.clientHeight, rowHeight());
  renderWindow();
  rowDetail.textContent = describeRow(view.active);
}

list.addEventListener('scroll', scheduleRender);
list.addEventListener('keydown', event => {
  if (!view) return;
  const page = Math.max(1, Math.floor(list.clientHeight / rowHeight()) - 1);
  const moves: Record<string, number> = { ArrowDown: view.active + 1, ArrowUp: view.active - 1, PageDown: view.active + page, PageUp: view.active - page, Home: 0, End: view.rows.length - 1 };
  if (!(event.key in moves)) return;
  event.preventDefault();
  setActive(moves[event.key]);
});
list.addEventListener('click', event => {
  const row = (event.target as HTMLElement).closest<HTMLElement>('.row');
  if (row) setActive(Number(row.id.slice('row-'.length)));
});
new ResizeObserver(() => scheduleRender()).observe(list);

function applyQuery(): void {
  if (!view) return;
  view.rows = selectRows(view.stats, state.query!, view.compared);
  view.active = 0;
  list.scrollTop = 0;
  const count = document.getElementById('row-count');
  if (count) count.textContent = `Showing ${view.rows.length} of ${view.stats.length} samples`;
  document.body.dataset.rows = String(view.rows.length);
  renderWindow();
  save();
}

function labelled(id: string, label: string, control: HTMLElement): HTMLElement {
  control.id = id;
  return el('span', { class: 'control' }, el('label', { for: id }, label), control);
}

function controls(comparing: boolean): HTMLElement {
  const q = state.query!;
  const sort = el('select', {});
  for (const [value, text] of [['index', 'Split order'], ['editDistance', 'Worst first (edit distance)'], ['bleu', 'Worst first (sentence BLEU)'], ['length', 'Longest first']] as const) {
    sort.append(el('option', { value, ...(q.sort === value ? { selected: '' } : {}) }, text));
  }
  sort.addEventListener('change', () => {
    state.query = { ...state.query!, sort: sort.value as SortKey };
    applyQuery();
  });
  const token = el('input', { type: 'search', placeholder: 'a token', spellcheck: 'false' });
  token.value = q.token;
  token.addEventListener('input', () => {
    state.query = { ...state.query!, token: token.value.trim() === '' ? '' : token.value === ' ' ? ' ' : token.value.trim() };
    applyQuery();
  });
  const wrong = el('input', { type: 'checkbox' });
  wrong.checked = q.onlyWrong;
  wrong.addEventListener('change', () => {
    state.query = { ...state.query!, onlyWrong: wrong.checked };
    applyQuery();
  });
  const bar = el('div', { class: 'controls', role: 'group', 'aria-label': 'Sort and filter' },
    labelled('sort', 'Sort', sort), labelled('token-filter', 'Containing token', token), labelled('only-wrong', 'Only wrong ones', wrong));
  if (comparing) {
    const change = el('select', {});
    for (const [value, text] of [['all', 'All samples'], ['improved', 'Improved (B better)'], ['regressed', 'Regressed (B worse)'], ['changed', 'Changed']] as const) {
      change.append(el('option', { value, ...(q.change === value ? { selected: '' } : {}) }, text));
    }
    change.addEventListener('change', () => {
      state.query = { ...state.query!, change: change.value as ChangeFilter };
      applyQuery();
    });
    bar.append(labelled('change-filter', 'Show', change));
  }
  return bar;
}

function legend(comparing: boolean): HTMLElement {
  const items = comparing
    ? [['sub', 'changed token'], ['del', 'only in A'], ['ins', 'only in B']]
    : [['sub', 'substitution'], ['del', 'deletion (reference token missing)'], ['ins', 'insertion (extra token)']];
  return el('p', { class: 'legend help', id: 'legend' },
    ...items.map(([kind, text]) => el('span', { class: `key ${kind}` }, text)),
    el('span', { class: 'key shade' }, `${comparing ? 'B' : 'predicted'} token background: darker = more probable`));
}

function render(a: PredictionSet, b?: PredictionSet): void {
  const shown = b ?? a;
  const stats = shown.samples.map(analyzeSample);
  const parts: Node[] = [el('h1', {}, title)];
  let compared: ComparedSample[] | undefined;
  if (b) {
    const problem = comparabilityProblem(a.samples, b.samples);
    if (problem) {
      showFailure(`Cannot compare: ${problem}.`);
      return;
    }
    compared = compareSamples(a.samples, b.samples);
    const counts = countChanges(compared);
    parts.push(
      el('dl', { class: 'stats', id: 'sets' }, el('dt', {}, 'A'), el('dd', { id: 'label-a' }, a.label), el('dt', {}, 'B'), el('dd', { id: 'label-b' }, b.label)),
      el('p', { id: 'summary-a', class: 'summary' }, `A: ${formatSummary(summarize(a.samples, a.samples.map(analyzeSample)))}`),
      el('p', { id: 'summary', class: 'summary' }, `B: ${formatSummary(summarize(b.samples, stats))}`),
      el('p', { id: 'compare-summary', class: 'summary strong', role: 'status' }, `B is better on ${counts.improved}, worse on ${counts.regressed}, unchanged on ${counts.same} of ${compared.length} samples (edit distance to the reference).`),
    );
  } else {
    parts.push(el('p', { class: 'help', id: 'label-a' }, a.label), el('p', { id: 'summary', class: 'summary', role: 'status' }, formatSummary(summarize(a.samples, stats))));
  }
  parts.push(controls(!!compared), legend(!!compared), el('p', { id: 'row-count', class: 'help' }), list,
    el('p', { id: 'rows-help', class: 'help' }, 'Arrow keys, Page Up/Down, Home and End move through the samples.'), rowDetail);
  view = { a, b, shown, stats, compared, rows: [], active: 0 };
  list.classList.toggle('comparing', !!compared);
  showContent(...parts);
  applyQuery();
  document.body.dataset.ready = 'true';
  document.body.dataset.samples = String(stats.length);
}

onHostMessage<HostToDiffsMessage>(message => {
  switch (message.type) {
    case 'request':
      title = message.title;
      document.title = message.title;
      state = { ...state, request: message.request };
      save();
      break;
    case 'progress':
      showProgress(message.label, message.done, message.total);
      break;
    case 'predictions':
      render(message.a, message.b);
      break;
    case 'failed':
      showFailure(message.message);
      break;
  }
});
post({ type: 'ready' });

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
import type { TargetUnit } from '../../src/shared/metrics';
import type { PredictedSample } from '../../src/shared/protocol';
import type { DiffsState, HostToDiffsMessage, PredictionSet } from '../../src/shared/diffsProtocol';
import { el, showContent } from '../common/dom';
import { t, useL10nBundle } from '../common/l10n';
import { getState, onHostMessage, post, setState } from '../common/vscodeApi';
import {
  analyzeSample, compareSamples, sampleScores, comparabilityProblem, countChanges, DEFAULT_QUERY, displayToken, formatSummary, scrollToRow, selectRows, summarize,
  visibleWindow, type AlignedCell, type ChangeFilter, type ComparedSample, type RowQuery, type SampleStats, type SortKey,
} from './model';
import { progressBlock, showProgressOf } from './progress';

const showProgress = (label: string, done: number, total: number) => showProgressOf(title, label, done, total);
import { ShapedPage } from './shaped';

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
let title = '';

function save(): void {
  setState(state);
}

// ---------------------------------------------------------------------------------------------
// Loading state.

// Partial results: the samples predicted so far (one checkpoint only), shown while the rest come.
let partial: { label: string; samples: PredictedSample[]; stats: SampleStats[] } | undefined;
let partialTimer: ReturnType<typeof setTimeout> | undefined;

function addPartial(label: string, samples: PredictedSample[], done: number, total: number): void {
  partial ??= { label, samples: [], stats: [] };
  partial.samples.push(...samples);
  partial.stats.push(...samples.map(analyzeSample));
  if (!view || document.body.dataset.ready !== 'partial') showProgress(label, done, total);
  else {
    const bar = document.getElementById('predict-progress') as HTMLProgressElement | null;
    if (bar) {
      bar.max = Math.max(1, total);
      bar.value = done;
    }
    document.getElementById('progress-label')!.textContent = t('{0}: {1} of {2} samples predicted…', label, done, total);
  }
  // Redraw the list at most twice a second: scrolling stays smooth while batches arrive.
  partialTimer ??= setTimeout(() => {
    partialTimer = undefined;
    if (!partial || partial.samples.length === 0) return;
    const set: PredictionSet = { label: partial.label, runDir: '', split: 'valid', checkpoint: 'best', step: 0, joiner: '', samples: partial.samples };
    render(set, undefined, { stats: partial.stats, loading: { label, done: partial.samples.length, total } });
  }, view ? 500 : 0);
}

function clearPartial(): void {
  partial = undefined;
  if (partialTimer) clearTimeout(partialTimer);
  partialTimer = undefined;
}

function showFailure(message: string): void {
  const retry = el('button', { id: 'retry', type: 'button' }, t('Predict again'));
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

/** What a set's target words are (the engine says; partial results before it does read as words). */
function unitOf(set: Pick<PredictionSet, 'targetUnit'>): TargetUnit {
  return set.targetUnit === 'phoneme' ? 'phoneme' : 'word';
}

const ROW_HEIGHT = { single: 84, compare: 112 };
const rowHeight = () => (view?.compared ? ROW_HEIGHT.compare : ROW_HEIGHT.single);

const list = el('div', { id: 'rows', class: 'rows', role: 'listbox', tabindex: '0', 'aria-label': t('Samples'), 'aria-describedby': 'rows-help' });
const spacer = el('div', { class: 'spacer' });
list.append(spacer);
const rowDetail = el('p', { id: 'row-detail', class: 'help', role: 'status', 'aria-live': 'polite' });

function changeLabel(change: 'improved' | 'regressed' | 'same'): string {
  return change === 'improved' ? t('improved') : change === 'regressed' ? t('regressed') : t('unchanged');
}

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
    match: t('same: {0}', displayToken(cell.ref)),
    sub: t('substitution: {0} {1}, {2} {3}', labels[0], displayToken(cell.ref), labels[1], displayToken(cell.pred)),
    del: t('deletion: {0} {1} missing from {2}', labels[0], displayToken(cell.ref), labels[1]),
    ins: t('insertion: {0} adds {1}', labels[1], displayToken(cell.pred)),
  }[cell.kind];
  return el('span', { class: `col ${cell.kind}`, title: `${what}${p === undefined ? '' : ` (p ${percent(p)})`}` }, top, bottom);
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
  const base = t('Sample {0}: {1}. Reference {2}. Prediction {3}. {4}, {5}.', s.index + 1, sample.source, sample.reference, sample.prediction, s.exact ? t('Correct') : t('{0} edits', s.editDistance), sampleScores(s, unitOf(view.shown)));
  if (!view.compared || !view.b) return base;
  const c = view.compared[i];
  return t('Sample {0}: {1}. Reference {2}. A: {3} ({4} edits). B: {5} ({6} edits). {7}.', s.index + 1, sample.source, sample.reference, view.a.samples[i].prediction, c.distanceA, sample.prediction, c.distanceB, changeLabel(c.change));
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
    badges.push(el('span', { class: `badge change ${compared.change}` }, changeLabel(compared.change)), ` ${t('edits {0} → {1}', compared.distanceA, compared.distanceB)}`);
  } else {
    badges.push(el('span', { class: `badge ${s.exact ? 'ok' : 'bad'}` }, s.exact ? t('correct') : s.editDistance === 1 ? t('1 edit') : t('{0} edits', s.editDistance)), ` ${sampleScores(s, unitOf(v.shown))}`);
  }
  row.append(el('div', { class: 'head' }, el('span', { class: 'num' }, `#${s.index + 1}`), el('span', { class: 'source', title: sample.source }, sample.source), el('span', { class: 'score' }, ...badges)));
  if (compared) {
    row.append(el('div', { class: 'ref-line' }, el('span', { class: 'side-label' }, t('ref')), ' ', sample.reference));
    row.append(alignment(compared.between, sample.probabilities, ['A', 'B'], 'between'));
  } else {
    row.append(alignment(s.cells, sample.probabilities, [t('ref'), t('pred')], 'vs-ref'));
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

function applyQuery(keepPosition = false): void {
  if (!view) return;
  view.rows = selectRows(view.stats, state.query!, view.compared);
  if (keepPosition) view.active = Math.min(view.active, Math.max(0, view.rows.length - 1));
  else {
    view.active = 0;
    list.scrollTop = 0;
  }
  const count = document.getElementById('row-count');
  if (count) count.textContent = t('Showing {0} of {1} samples', view.rows.length, view.stats.length);
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
  for (const [value, text] of [['index', t('Split order')], ['editDistance', t('Worst first (edit distance)')], ['bleu', t('Worst first (sentence BLEU)')], ['length', t('Longest first')]] as const) {
    sort.append(el('option', { value, ...(q.sort === value ? { selected: '' } : {}) }, text));
  }
  sort.addEventListener('change', () => {
    state.query = { ...state.query!, sort: sort.value as SortKey };
    applyQuery();
  });
  const token = el('input', { type: 'search', placeholder: t('a token'), spellcheck: 'false' });
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
  const bar = el('div', { class: 'controls', role: 'group', 'aria-label': t('Sort and filter') },
    labelled('sort', t('Sort'), sort), labelled('token-filter', t('Containing token'), token), labelled('only-wrong', t('Only wrong ones'), wrong));
  if (comparing) {
    const change = el('select', {});
    for (const [value, text] of [['all', t('All samples')], ['improved', t('Improved (B better)')], ['regressed', t('Regressed (B worse)')], ['changed', t('Changed')]] as const) {
      change.append(el('option', { value, ...(q.change === value ? { selected: '' } : {}) }, text));
    }
    change.addEventListener('change', () => {
      state.query = { ...state.query!, change: change.value as ChangeFilter };
      applyQuery();
    });
    bar.append(labelled('change-filter', t('Show'), change));
  }
  return bar;
}

function legend(comparing: boolean): HTMLElement {
  const items = comparing
    ? [['sub', t('changed token')], ['del', t('only in A')], ['ins', t('only in B')]]
    : [['sub', t('substitution')], ['del', t('deletion (reference token missing)')], ['ins', t('insertion (extra token)')]];
  return el('p', { class: 'legend help', id: 'legend' },
    ...items.map(([kind, text]) => el('span', { class: `key ${kind}` }, text)),
    el('span', { class: 'key shade' }, comparing ? t('B token background: darker = more probable') : t('predicted token background: darker = more probable')));
}

interface RenderOptions {
  /** Stats already computed (the partial list keeps them between redraws). */
  stats?: SampleStats[];
  /** Still predicting: keep the progress block above the partial list. */
  loading?: { label: string; done: number; total: number };
}

function render(a: PredictionSet, b?: PredictionSet, options: RenderOptions = {}): void {
  const shown = b ?? a;
  const stats = options.stats ?? shown.samples.map(analyzeSample);
  const parts: Node[] = [el('h1', {}, title)];
  if (options.loading) parts.push(progressBlock());
  // A redraw of the partial list (or its final version) keeps the reader's place.
  const keepPosition = document.body.dataset.ready === 'partial' && !!view && !b;
  const previous = keepPosition ? { scrollTop: list.scrollTop, active: view!.active } : undefined;
  let compared: ComparedSample[] | undefined;
  if (b) {
    const problem = comparabilityProblem(a.samples, b.samples);
    if (problem) {
      showFailure(t('Cannot compare: {0}.', problem));
      return;
    }
    compared = compareSamples(a.samples, b.samples);
    const counts = countChanges(compared);
    parts.push(
      el('dl', { class: 'stats', id: 'sets' }, el('dt', {}, 'A'), el('dd', { id: 'label-a' }, a.label), el('dt', {}, 'B'), el('dd', { id: 'label-b' }, b.label)),
      el('p', { id: 'summary-a', class: 'summary' }, `A: ${formatSummary(summarize(a.samples, a.samples.map(analyzeSample)), t, unitOf(a))}`),
      el('p', { id: 'summary', class: 'summary' }, `B: ${formatSummary(summarize(b.samples, stats), t, unitOf(b))}`),
      el('p', { id: 'compare-summary', class: 'summary strong', role: 'status' }, t('B is better on {0}, worse on {1}, unchanged on {2} of {3} samples (edit distance to the reference).', counts.improved, counts.regressed, counts.same, compared.length)),
    );
  } else {
    parts.push(el('p', { class: 'help', id: 'label-a' }, a.label), el('p', { id: 'summary', class: 'summary', role: 'status' }, formatSummary(summarize(a.samples, stats), t, unitOf(a))));
  }
  parts.push(controls(!!compared), legend(!!compared), el('p', { id: 'row-count', class: 'help' }), list,
    el('p', { id: 'rows-help', class: 'help' }, t('Arrow keys, Page Up/Down, Home and End move through the samples.')), rowDetail);
  view = { a, b, shown, stats, compared, rows: [], active: previous?.active ?? 0 };
  list.classList.toggle('comparing', !!compared);
  showContent(...parts);
  if (options.loading) {
    document.getElementById('app')!.setAttribute('aria-busy', 'true');
    (document.getElementById('predict-progress') as HTMLProgressElement).max = Math.max(1, options.loading.total);
    (document.getElementById('predict-progress') as HTMLProgressElement).value = options.loading.done;
    document.getElementById('progress-label')!.textContent = t('{0}: {1} of {2} samples predicted…', options.loading.label, options.loading.done, options.loading.total);
  }
  if (previous) list.scrollTop = previous.scrollTop;
  applyQuery(!!previous);
  document.body.dataset.ready = options.loading ? 'partial' : 'true';
  document.body.dataset.samples = String(stats.length);
}

// Runs that are not seq2seq: one checkpoint's predictions show in the shape's view (shaped.ts).
const shaped = new ShapedPage(() => title, () => state.request);

onHostMessage<HostToDiffsMessage>(message => {
  switch (message.type) {
    case 'run':
      if (shaped.run(message.run)) clearPartial();
      break;
    case 'request':
      clearPartial();
      useL10nBundle(message.l10n);
      title = message.title;
      document.title = message.title;
      state = { ...state, request: message.request };
      save();
      break;
    case 'progress':
      shaped.showProgress();
      showProgress(message.label, message.done, message.total);
      break;
    case 'partial':
      if (shaped.kind()) {
        shaped.showProgress();
        showProgress(message.label, message.done, message.total);
      }
      else addPartial(message.label, message.samples, message.done, message.total);
      break;
    case 'predictions': {
      clearPartial();
      if (!(message.b ? shaped.compare(message.a, message.b) : shaped.predictions(message.a))) render(message.a, message.b);
      break;
    }
    case 'failed':
      clearPartial();
      if (!shaped.failed(message.message)) showFailure(message.message);
      break;
  }
});
post({ type: 'ready' });

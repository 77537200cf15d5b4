/**
 * The attention webview. Shows one attention map at a time (chart.ts: a chart.js matrix) with:
 * - a sample chooser: the last translations (editor selections, typed text, what-ifs) and the
 *   followed run's fixed validation sample, plus a box to translate typed text;
 * - live mode: the validation sample's map at every evaluation, a slider to scrub back through
 *   them (following new evaluations while the slider sits at the newest);
 * - the beam candidates (scores, length-penalised scores, per-token probabilities), a chooser of
 *   which candidate's attention is drawn, and what-if decoding (replace one output token, the
 *   decoder continues from the corrected prefix) with the change in output and attention;
 * - export as PNG and JSON, and the weights as a keyboard-navigable table.
 *
 * Items (not the live data, which the host resends) are saved with setState for reloads.
 * The page speaks the host's language: the first `items` message carries the translation bundle.
 */
import type { AttentionItem, AttentionState, HostToAttentionMessage, LiveRun } from '../../src/shared/attentionProtocol';
import { el, formatNumber, onThemeChange, showContent } from '../common/dom';
import { t, useL10nBundle } from '../common/l10n';
import { getState, onHostMessage, post, setState } from '../common/vscodeApi';
import { Heatmap } from './chart';
import {
  displayToken, evaluationView, exportJson, exportName, hasAttention, itemView, percent, rowChanges, type MapView,
} from './heatmap';
import { tableKeyboard, weightsTable } from './table';

const LIVE = 'live';
/** Maps up to this many cells get their table built at once; larger ones when it is opened. */
const EAGER_TABLE_CELLS = 1000;

let items: AttentionItem[] = [];
let live: LiveRun | undefined;
/** `item:<id>` or LIVE. */
let selected: string | undefined;
let candidate = 0;
/** Slider position in live.evaluations; undefined = follow the newest. */
let evaluationIndex: number | undefined;
/** What-if: show the map before the change instead of after. */
let showBefore = false;
let current: MapView | undefined;

// ---------------------------------------------------------------------------------------------
// Static skeleton: built once, on the first host message (it brings the translation bundle, and
// every string below goes through t()); the parts below are filled in by render().

let sampleSelect!: HTMLSelectElement;
let typedText!: HTMLInputElement;
let beamSize!: HTMLInputElement;
let typedGo!: HTMLButtonElement;
let candidateSelect!: HTMLSelectElement;
let candidateRow!: HTMLDivElement;
let slider!: HTMLInputElement;
let sliderLabel!: HTMLSpanElement;
let liveRow!: HTMLDivElement;
let busyStatus!: HTMLParagraphElement;
let failure!: HTMLParagraphElement;
let summary!: HTMLDListElement;
let noAttention!: HTMLParagraphElement;
let chartBox!: HTMLDivElement;
let detail!: HTMLParagraphElement;
let exportPng!: HTMLButtonElement;
let exportJsonButton!: HTMLButtonElement;
let exportRow!: HTMLDivElement;
let tableView!: HTMLDetailsElement;
let tableHelp!: HTMLParagraphElement;
let beamSection!: HTMLElement;
let whatIfSection!: HTMLElement;
let heatmap!: Heatmap;
let built = false;

function buildPage(): void {
  built = true;
  sampleSelect = el('select', { id: 'sample-select' });
  typedText = el('input', { id: 'typed-text', type: 'text', placeholder: 'march 3 2021', autocomplete: 'off', spellcheck: 'false' });
  beamSize = el('input', { id: 'beam-size', type: 'number', min: '1', max: '16', value: '4' });
  typedGo = el('button', { id: 'typed-go', type: 'submit' }, t('Translate'));
  const typedForm = el(
    'form',
    { id: 'typed-form', class: 'row', 'aria-label': t('Translate typed text') },
    el('label', { for: 'typed-text' }, t('Text')),
    typedText,
    el('label', { for: 'beam-size' }, t('Beam width')),
    beamSize,
    typedGo,
  );
  candidateSelect = el('select', { id: 'candidate-select' });
  candidateRow = el('div', { class: 'row', id: 'candidate-row' }, el('label', { for: 'candidate-select' }, t('Beam candidate')), candidateSelect);
  const layerNote = el('p', { id: 'layer-note', class: 'help' }, t('One attention per output token: the decoder attends once per step (after its top layer), so multi-layer models have no layer or head to choose.'));

  slider = el('input', { id: 'eval-slider', type: 'range', min: '0', max: '0', step: '1', value: '0' });
  sliderLabel = el('span', { id: 'eval-label', class: 'help' });
  liveRow = el('div', { id: 'live-controls', class: 'row' }, el('label', { for: 'eval-slider' }, t('Evaluation')), slider, sliderLabel);

  busyStatus = el('p', { id: 'busy', role: 'status', 'aria-live': 'polite', class: 'help' });
  failure = el('p', { id: 'failure', role: 'alert', class: 'error' });

  summary = el('dl', { class: 'stats', id: 'translation-summary' });
  noAttention = el('p', { id: 'no-attention', role: 'note', hidden: '' }, t('This model has no attention (attention = none): there are no weights to show.'));
  const canvas = el('canvas', { id: 'attention-chart', tabindex: '0', role: 'application', 'aria-roledescription': t('attention heatmap'), 'aria-describedby': 'heatmap-help' });
  const tooltip = el('div', { id: 'chart-tooltip', role: 'tooltip', hidden: '' });
  chartBox = el('div', { id: 'chart-box', class: 'chart-box' }, canvas, tooltip);
  const heatmapHelp = el(
    'p',
    { id: 'heatmap-help', class: 'help' },
    t('Rows are output tokens, columns source tokens; the stronger a cell’s colour, the more attention; the outlined cell is each row\'s maximum. Hover a cell, or focus the map and use the arrow keys; click a row (or press Enter) to highlight its source tokens in the editor.'),
  );
  detail = el('p', { id: 'cell-detail', role: 'status', 'aria-live': 'polite', class: 'help' });
  exportPng = el('button', { id: 'export-png', type: 'button', class: 'secondary' }, t('Export PNG'));
  exportJsonButton = el('button', { id: 'export-json', type: 'button', class: 'secondary' }, t('Export JSON'));
  exportRow = el('div', { class: 'row' }, exportPng, exportJsonButton);
  tableView = el('details', { id: 'table-view' }, el('summary', {}, t('Weights as a table')));
  tableHelp = el('p', { id: 'table-help', class: 'help' }, t('Arrow keys move between cells; Home/End go to the row\'s first/last cell.'));

  beamSection = el('section', { id: 'beam-section', 'aria-labelledby': 'beam-heading' });
  whatIfSection = el('section', { id: 'whatif-section', 'aria-labelledby': 'whatif-heading' });

  heatmap = new Heatmap(chartBox, canvas, tooltip, {
    onRow: row => highlightRow(row),
    onFocusCell: text => (detail.textContent = text),
  });

  showContent(
    el('h1', {}, t('Attention')),
    el('div', { class: 'row' }, el('label', { for: 'sample-select' }, t('Sample')), sampleSelect),
    typedForm,
    candidateRow,
    liveRow,
    layerNote,
    busyStatus,
    failure,
    summary,
    noAttention,
    chartBox,
    heatmapHelp,
    detail,
    exportRow,
    tableView,
    beamSection,
    whatIfSection,
  );
  tableKeyboard(tableView, text => (detail.textContent = text));
  tableView.addEventListener('toggle', () => {
    if (tableView.open && current && tableView.dataset.key !== current.key) renderTable(current);
  });

  typedForm.addEventListener('submit', event => {
    event.preventDefault();
    const text = typedText.value.trim();
    if (!text) {
      failure.textContent = t('Type a sentence to translate.');
      typedText.focus();
      return;
    }
    const beam = Math.max(1, Math.min(16, Math.round(Number(beamSize.value) || 1)));
    failure.textContent = '';
    setBusy(true, t('Translating…'));
    post({ type: 'translate', text, beamSize: beam });
  });

  sampleSelect.addEventListener('change', () => {
    selected = sampleSelect.value;
    candidate = 0;
    showBefore = false;
    render();
    save();
  });

  candidateSelect.addEventListener('change', () => {
    candidate = Number(candidateSelect.value) || 0;
    render();
  });

  slider.addEventListener('input', () => {
    const last = (live?.evaluations.length ?? 1) - 1;
    const value = Number(slider.value);
    evaluationIndex = value >= last ? undefined : value;
    render();
  });

  exportPng.addEventListener('click', () => {
    const png = heatmap.toPng();
    if (!current || !png) return;
    post({ type: 'export', format: 'png', data: png, name: exportName(current, 'png') });
  });
  exportJsonButton.addEventListener('click', () => {
    if (current) post({ type: 'export', format: 'json', data: exportJson(current), name: exportName(current, 'json') });
  });

  onThemeChange(() => heatmap.refreshTheme());
}

// ---------------------------------------------------------------------------------------------
// What is shown.

function selectedItem(): AttentionItem | undefined {
  return selected?.startsWith('item:') ? items.find(i => `item:${i.id}` === selected) : undefined;
}

function currentView(): MapView | undefined {
  if (selected === LIVE) {
    if (!live || live.evaluations.length === 0) return undefined;
    const index = Math.min(evaluationIndex ?? live.evaluations.length - 1, live.evaluations.length - 1);
    return evaluationView(live.evaluations[index], live.name);
  }
  const item = selectedItem() ?? items[0];
  if (!item) return undefined;
  const view = itemView(item, candidate);
  if (item.whatIf && showBefore) {
    const base = item.whatIf.base;
    return { ...view, key: `${view.key}:before`, output: base.tokens.join(' '), tokens: base.tokens, probabilities: base.probabilities, attention: base.attention };
  }
  return view;
}

function options(select: HTMLSelectElement, entries: Array<[string, string]>, value: string | undefined): void {
  select.replaceChildren(...entries.map(([v, label]) => el('option', { value: v }, label)));
  if (value !== undefined && entries.some(([v]) => v === value)) select.value = value;
}

function render(): void {
  if (!selected || (selected !== LIVE && !selectedItem()) || (selected === LIVE && !live)) selected = items[0] ? `item:${items[0].id}` : live ? LIVE : undefined;
  const entries: Array<[string, string]> = items.map(i => [`item:${i.id}`, t('{0}: {1}', originLabel(i), i.label)]);
  if (live) entries.push([LIVE, live.training ? t('Validation sample — {0} (live)', live.name) : t('Validation sample — {0}', live.name)]);
  options(sampleSelect, entries, selected);
  sampleSelect.disabled = entries.length === 0;

  const item = selected === LIVE ? undefined : selectedItem();
  const candidates = item?.translation.candidates ?? [];
  candidateRow.hidden = candidates.length < 2;
  if (candidates.length >= 2) {
    options(candidateSelect, candidates.map((c, i) => [String(i), t('{0}. {1} (score {2})', i + 1, c.output, formatNumber(c.score, 3))]), String(candidate));
  }

  const evaluations = live?.evaluations ?? [];
  liveRow.hidden = selected !== LIVE;
  if (selected === LIVE) {
    const last = Math.max(0, evaluations.length - 1);
    const index = Math.min(evaluationIndex ?? last, last);
    slider.max = String(last);
    slider.value = String(index);
    slider.disabled = evaluations.length < 2;
    const e = evaluations[index];
    const following = evaluationIndex === undefined && live?.training;
    const text = !e
      ? t('no evaluation yet')
      : following
        ? t('step {0} (evaluation {1} of {2}), following live', e.step, index + 1, evaluations.length)
        : t('step {0} (evaluation {1} of {2})', e.step, index + 1, evaluations.length);
    slider.setAttribute('aria-valuetext', text);
    sliderLabel.textContent = text;
    document.body.dataset.evaluations = String(evaluations.length);
  }

  const view = currentView();
  current = view;
  document.body.dataset.view = view?.key ?? '';
  renderSummary(view, item);
  if (!view) {
    heatmap.destroy();
    chartBox.hidden = true;
    noAttention.hidden = true;
    beamSection.replaceChildren();
    whatIfSection.replaceChildren();
    exportRow.hidden = true;
    document.body.dataset.ready = 'true';
    return;
  }
  exportRow.hidden = false;
  noAttention.hidden = hasAttention(view);
  exportPng.disabled = !hasAttention(view);
  heatmap.show(view);
  renderTable(view);
  renderBeam(item);
  renderWhatIf(view, item);
  document.body.dataset.ready = 'true';
  document.body.dataset.rows = String(view.tokens.length);
  document.body.dataset.cols = String(hasAttention(view) ? view.sourceTokens.length : 0);
}

function originLabel(item: AttentionItem): string {
  switch (item.origin) {
    case 'selection': return t('Selection');
    case 'typed': return t('Typed');
    case 'whatIf': return t('What-if');
    default: return t('Translation');
  }
}

function renderSummary(view: MapView | undefined, item: AttentionItem | undefined): void {
  if (!view) {
    const waiting = selected === LIVE && live ? t('Waiting for the first evaluation of {0}…', live.name) : t('Translate a selection or type a sentence above; during training the validation sample appears here.');
    summary.replaceChildren(el('dt', {}, t('Nothing to show')), el('dd', { id: 'nothing' }, waiting));
    return;
  }
  const parts: Node[] = [
    el('dt', {}, t('Source')), el('dd', { id: 'source-text' }, view.source),
    el('dt', {}, t('Output')), el('dd', { id: 'output-text' }, view.output),
  ];
  if (view.reference !== undefined) parts.push(el('dt', {}, t('Reference')), el('dd', { id: 'reference-text' }, view.reference));
  if (item?.model) parts.push(el('dt', {}, t('Model')), el('dd', { id: 'model-name' }, item.model));
  summary.replaceChildren(...parts);
}

function renderTable(view: MapView): void {
  const build = () => {
    const old = tableView.querySelector('table');
    const table = weightsTable(view);
    if (old) old.replaceWith(table);
    else tableView.append(table, tableHelp);
    tableView.dataset.key = view.key;
  };
  tableView.querySelector('table')?.remove();
  tableHelp.remove();
  delete tableView.dataset.key;
  if (tableView.open || view.tokens.length * Math.max(1, view.sourceTokens.length) <= EAGER_TABLE_CELLS) build();
}

function renderBeam(item: AttentionItem | undefined): void {
  if (!item) {
    beamSection.replaceChildren();
    return;
  }
  const translation = item.translation;
  const list = translation.candidates.length
    ? translation.candidates
    : [{ output: translation.output, tokens: translation.tokens, probabilities: translation.probabilities, logProbability: NaN, score: NaN, attention: translation.attention }];
  const table = el('table', { id: 'candidates', class: 'candidates' });
  table.append(
    el('caption', {}, t('The n-best list: log-probability, score (log-probability ÷ GNMT length penalty, what the beam ranks by) and each token with its probability.')),
    el('thead', {}, el('tr', {}, ...['#', t('Output'), 'log p', t('Score (length-penalised)'), t('Tokens (probability)'), ''].map(h => el('th', { scope: 'col' }, h)))),
  );
  const body = el('tbody');
  list.forEach((c, i) => {
    const tokens = el('span', { class: 'token-list' });
    c.tokens.forEach((token, j) => {
      const p = c.probabilities[j] ?? NaN;
      const chip = el('span', { class: 'token-chip', title: `p = ${percent(p)}`, 'data-low': String(p < 0.5) }, el('span', { class: 'chip-token' }, displayToken(token)), el('span', { class: 'chip-p' }, Number.isFinite(p) ? `${Math.round(p * 100)}%` : '–'));
      chip.style.setProperty('--p', String(Number.isFinite(p) ? p : 0));
      tokens.append(chip);
    });
    const chosen = i === candidate;
    const show = el('button', { type: 'button', class: 'secondary show-candidate', 'data-candidate': String(i), 'aria-pressed': String(chosen), 'aria-label': t('Show the attention of candidate {0}', i + 1) }, chosen ? t('Shown') : t('Show'));
    body.append(
      el(
        'tr',
        { 'data-candidate': String(i), class: chosen ? 'chosen' : undefined },
        el('td', {}, String(i + 1)),
        el('td', { class: 'candidate-output' }, c.output),
        el('td', { class: 'log-p' }, Number.isFinite(c.logProbability) ? c.logProbability.toFixed(3) : '–'),
        el('td', { class: 'score' }, Number.isFinite(c.score) ? c.score.toFixed(3) : '–'),
        el('td', {}, tokens),
        el('td', {}, show),
      ),
    );
  });
  table.append(body);
  beamSection.replaceChildren(el('h2', { id: 'beam-heading' }, t('Beam candidates')), el('div', { class: 'table-scroll' }, table));
}

/** What-if: the current output's tokens as buttons; choosing one opens the replacement box. */
function renderWhatIf(view: MapView, item: AttentionItem | undefined): void {
  const parts: Node[] = [el('h2', { id: 'whatif-heading' }, t('What if…'))];
  if (item?.whatIf) parts.push(comparison(item));
  if (view.tokens.length === 0 || (item?.whatIf && showBefore)) {
    whatIfSection.replaceChildren(...parts);
    return;
  }
  parts.push(el('p', { class: 'help', id: 'whatif-help' }, t('Choose an output token and type what it should have been: the decoder keeps the tokens before it, takes yours, and continues on its own (forced decoding).')));
  const group = el('div', { id: 'whatif-tokens', role: 'group', 'aria-label': t('Output tokens to correct'), class: 'token-list' });
  view.tokens.forEach((token, i) => {
    group.append(el('button', { type: 'button', class: 'token-button', 'data-position': String(i), 'aria-label': t('Correct token {0}: {1}', i + 1, displayToken(token)) }, displayToken(token)));
  });
  parts.push(group, el('div', { id: 'whatif-editor' }));
  whatIfSection.replaceChildren(...parts);
}

function openWhatIfEditor(position: number): void {
  const view = current;
  const box = document.getElementById('whatif-editor');
  if (!view || !box) return;
  const input = el('input', { id: 'whatif-token', type: 'text', autocomplete: 'off', spellcheck: 'false', value: view.tokens[position] ?? '' });
  const form = el(
    'form',
    { id: 'whatif-form', class: 'row', 'data-position': String(position) },
    el('label', { for: 'whatif-token' }, t('Replace “{0}” (token {1}) with', displayToken(view.tokens[position] ?? ''), position + 1)),
    input,
    el('button', { type: 'submit', id: 'whatif-go' }, t('Decode from here')),
  );
  box.replaceChildren(form);
  document.querySelectorAll('#whatif-tokens .token-button').forEach(b => b.setAttribute('aria-pressed', String(Number((b as HTMLElement).dataset.position) === position)));
  input.focus();
  input.select();
}

/** The what-if comparison's token kinds, as their chips' tooltips say them. */
const CHANGE_KINDS: Record<'kept' | 'forced' | 'same' | 'changed', () => string> = {
  kept: () => t('kept'),
  forced: () => t('forced'),
  same: () => t('same'),
  changed: () => t('changed'),
};

/** Before/after of a what-if: kept, forced and changed tokens, and how much each row's attention moved. */
function comparison(item: AttentionItem): Node {
  const w = item.whatIf!;
  const after = item.translation.tokens;
  const before = w.base.tokens;
  const changes = rowChanges(w.base.attention, item.translation.attention);
  const line = (label: string, tokens: string[], other: string[], id: string) => {
    const row = el('div', { class: 'compare-row', id });
    row.append(el('span', { class: 'compare-label' }, label));
    tokens.forEach((token, i) => {
      const kind = i < w.position ? 'kept' : i === w.position ? 'forced' : token === other[i] ? 'same' : 'changed';
      row.append(el('span', { class: `token-chip ${kind}`, 'data-kind': kind, title: CHANGE_KINDS[kind]() }, displayToken(token)));
    });
    return row;
  };
  const changedAfter = after.filter((token, i) => i > w.position && token !== before[i]).length + Math.max(0, before.length - after.length, after.length - before.length);
  const moved = changes.slice(w.position).filter(Number.isFinite);
  const meanMove = moved.length ? moved.reduce((a, b) => a + b, 0) / moved.length : NaN;
  const moveText = Number.isFinite(meanMove) ? meanMove.toFixed(3) : '–';
  const toggle = el('input', { type: 'checkbox', id: 'show-before' });
  (toggle as HTMLInputElement).checked = showBefore;
  return el(
    'div',
    { id: 'whatif-compare', class: 'compare' },
    el('p', {}, t('From {0}: token {1} forced to “{2}”.', w.baseLabel, w.position + 1, displayToken(after[w.position] ?? ''))),
    line(t('Before'), before, after, 'compare-before'),
    line(t('After'), after, before, 'compare-after'),
    el(
      'p',
      { id: 'whatif-summary', class: 'help' },
      changedAfter === 1
        ? t('{0} later token changed; the attention of the rows from the forced token on moved by {1} per cell on average.', changedAfter, moveText)
        : t('{0} later tokens changed; the attention of the rows from the forced token on moved by {1} per cell on average.', changedAfter, moveText),
    ),
    el('div', { class: 'row' }, toggle, el('label', { for: 'show-before' }, t('Show the map before the change'))),
  );
}

// ---------------------------------------------------------------------------------------------
// Requests to the host.

function highlightRow(row: number): void {
  const view = current;
  if (!view) return;
  const item = selectedItem();
  const token = displayToken(view.tokens[row] ?? '');
  detail.textContent = item?.origin === 'selection'
    ? t('Row {0}: “{1}” — its source tokens are highlighted in the editor.', row + 1, token)
    : t('Row {0}: “{1}”.', row + 1, token);
  document.body.dataset.highlightedRow = String(row);
  if (item?.origin === 'selection') post({ type: 'highlightRow', ref: view.ref, row });
}

function setBusy(busy: boolean, message?: string): void {
  busyStatus.textContent = busy ? message ?? t('Working…') : '';
  document.body.dataset.busy = String(busy);
  const main = document.getElementById('app');
  if (busy) main?.setAttribute('aria-busy', 'true');
  else main?.removeAttribute('aria-busy');
  typedGo.disabled = busy;
  document.querySelectorAll<HTMLButtonElement>('#whatif-go').forEach(b => (b.disabled = busy));
}

document.addEventListener('click', event => {
  const target = event.target as HTMLElement | null;
  const show = target?.closest<HTMLElement>('button.show-candidate');
  if (show) {
    candidate = Number(show.dataset.candidate) || 0;
    render();
    document.querySelector<HTMLElement>(`button.show-candidate[data-candidate="${candidate}"]`)?.focus();
    return;
  }
  const token = target?.closest<HTMLElement>('#whatif-tokens .token-button');
  if (token) openWhatIfEditor(Number(token.dataset.position));
});

document.addEventListener('change', event => {
  if ((event.target as HTMLElement | null)?.id === 'show-before') {
    showBefore = (event.target as HTMLInputElement).checked;
    render();
    document.getElementById('show-before')?.focus();
  }
});

document.addEventListener('submit', event => {
  const form = event.target as HTMLElement | null;
  if (form?.id !== 'whatif-form') return;
  event.preventDefault();
  const view = current;
  const input = document.getElementById('whatif-token') as HTMLInputElement | null;
  const token = input?.value ?? '';
  if (!view || token === '') {
    failure.textContent = t('Type the token the output should have had.');
    return;
  }
  failure.textContent = '';
  setBusy(true, t('Decoding from the corrected prefix…'));
  post({ type: 'whatIf', ref: view.ref, position: Number(form.dataset.position), token });
});

// ---------------------------------------------------------------------------------------------
// Host messages and saved state.

function save(): void {
  const state: AttentionState = { items, ...(selected && selected !== LIVE ? { selectedId: selected.slice('item:'.length) } : {}) };
  setState(state);
}

onHostMessage<HostToAttentionMessage>(message => {
  if (!built) {
    // The host's first message is `items` with its translation bundle (absent in English); load it
    // before anything is built, since every string the page shows goes through t().
    if (message.type === 'items') useL10nBundle(message.l10n);
    buildPage();
  }
  switch (message.type) {
    case 'items':
      items = message.items;
      if (message.selectedId !== undefined) {
        selected = `item:${message.selectedId}`;
        candidate = 0;
        showBefore = false;
      }
      setBusy(false);
      render();
      save();
      break;
    case 'live': {
      const wasLive = selected === LIVE;
      // The same run again (it ended, or the view reloaded): keep the slider where it is.
      if (message.live?.runDir !== live?.runDir) evaluationIndex = undefined;
      live = message.live;
      if (live && (wasLive || items.length === 0)) selected = LIVE;
      render();
      break;
    }
    case 'evaluation':
      if (!live || live.runDir !== message.runDir) return;
      live.evaluations.push(message.evaluation);
      render();
      break;
    case 'busy':
      setBusy(message.busy, message.message);
      break;
    case 'failed':
      setBusy(false);
      failure.textContent = message.message;
      break;
    case 'exported':
      detail.textContent = t('Saved {0}', message.path);
      break;
  }
});

// The saved items come back at once; they are drawn with the host's first message (it brings the
// translation bundle the page is built with) and replaced by its items.
const saved = getState() as Partial<AttentionState> | undefined;
if (saved && Array.isArray(saved.items)) {
  items = saved.items;
  if (saved.selectedId) selected = `item:${saved.selectedId}`;
}
post({ type: 'ready' });

/**
 * Draws the attention webview's state (store.ts) into its page (page.ts): the sample and
 * candidate choosers, the evaluation slider, the summary, the map and its weights table, the
 * beam candidates and the what-if section with its before/after comparison. Reads the state,
 * never changes it (except `current`, the map on screen); main.ts decides when to draw.
 */
import type { AttentionItem } from '../../src/shared/attentionProtocol';
import { el, formatNumber } from '../common/dom';
import { t } from '../common/l10n';
import { displayToken, hasAttention, percent, rowChanges, type MapView } from './heatmap';
import type { AttentionPage } from './page';
import { LIVE, type AttentionViewState } from './store';
import { weightsTable } from './table';

/** Maps up to this many cells get their table built at once; larger ones when it is opened. */
const EAGER_TABLE_CELLS = 1000;

/** The what-if comparison's token kinds, as their chips' tooltips say them. */
const CHANGE_KINDS: Record<'kept' | 'forced' | 'same' | 'changed', () => string> = {
  kept: () => t('kept'),
  forced: () => t('forced'),
  same: () => t('same'),
  changed: () => t('changed'),
};

function options(select: HTMLSelectElement, entries: Array<[string, string]>, value: string | undefined): void {
  select.replaceChildren(...entries.map(([v, label]) => el('option', { value: v }, label)));
  if (value !== undefined && entries.some(([v]) => v === value)) select.value = value;
}

function originLabel(item: AttentionItem): string {
  switch (item.origin) {
    case 'selection': return t('Selection');
    case 'typed': return t('Typed');
    case 'whatIf': return t('What-if');
    default: return t('Translation');
  }
}

export class AttentionView {
  constructor(
    private readonly page: AttentionPage,
    private readonly state: AttentionViewState,
  ) {}

  render(): void {
    const { page, state } = this;
    state.settleSelection();
    const { items, live, selected } = state;
    const entries: Array<[string, string]> = items.map(i => [`item:${i.id}`, t('{0}: {1}', originLabel(i), i.label)]);
    if (live) entries.push([LIVE, live.training ? t('Validation sample — {0} (live)', live.name) : t('Validation sample — {0}', live.name)]);
    options(page.sampleSelect, entries, selected);
    page.sampleSelect.disabled = entries.length === 0;

    const item = selected === LIVE ? undefined : state.selectedItem();
    const candidates = item?.translation.candidates ?? [];
    page.candidateRow.hidden = candidates.length < 2;
    if (candidates.length >= 2) {
      options(page.candidateSelect, candidates.map((c, i) => [String(i), t('{0}. {1} (score {2})', i + 1, c.output, formatNumber(c.score, 3))]), String(state.candidate));
    }

    page.liveRow.hidden = selected !== LIVE;
    if (selected === LIVE) this.renderSlider();

    const view = state.currentView();
    state.current = view;
    document.body.dataset.view = view?.key ?? '';
    this.renderSummary(view, item);
    if (!view) {
      page.heatmap.destroy();
      page.chartBox.hidden = true;
      page.noAttention.hidden = true;
      page.beamSection.replaceChildren();
      page.whatIfSection.replaceChildren();
      page.exportRow.hidden = true;
      document.body.dataset.ready = 'true';
      return;
    }
    page.exportRow.hidden = false;
    page.noAttention.hidden = hasAttention(view);
    page.exportPng.disabled = !hasAttention(view);
    page.heatmap.show(view);
    this.renderTable(view);
    this.renderBeam(item);
    this.renderWhatIf(view, item);
    document.body.dataset.ready = 'true';
    document.body.dataset.rows = String(view.tokens.length);
    document.body.dataset.cols = String(hasAttention(view) ? view.sourceTokens.length : 0);
  }

  private renderSlider(): void {
    const { page, state } = this;
    const { index, count, evaluation: e } = state.evaluationPosition();
    page.slider.max = String(Math.max(0, count - 1));
    page.slider.value = String(index);
    page.slider.disabled = count < 2;
    const following = state.evaluationIndex === undefined && state.live?.training;
    const text = !e
      ? t('no evaluation yet')
      : following
        ? t('step {0} (evaluation {1} of {2}), following live', e.step, index + 1, count)
        : t('step {0} (evaluation {1} of {2})', e.step, index + 1, count);
    page.slider.setAttribute('aria-valuetext', text);
    page.sliderLabel.textContent = text;
    document.body.dataset.evaluations = String(count);
  }

  private renderSummary(view: MapView | undefined, item: AttentionItem | undefined): void {
    const { summary } = this.page;
    const { selected, live } = this.state;
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

  /** The weights table of `view`: built now when small or open, else when it is opened. */
  renderTable(view: MapView): void {
    const { tableView, tableHelp } = this.page;
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

  private renderBeam(item: AttentionItem | undefined): void {
    const { beamSection } = this.page;
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
      const chosen = i === this.state.candidate;
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
  private renderWhatIf(view: MapView, item: AttentionItem | undefined): void {
    const { whatIfSection } = this.page;
    const parts: Node[] = [el('h2', { id: 'whatif-heading' }, t('What if…'))];
    if (item?.whatIf) parts.push(this.comparison(item));
    if (view.tokens.length === 0 || (item?.whatIf && this.state.showBefore)) {
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

  /** The replacement box for output token `position` of the map on screen. */
  openWhatIfEditor(position: number): void {
    const view = this.state.current;
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

  /** Before/after of a what-if: kept, forced and changed tokens, and how much each row's attention moved. */
  private comparison(item: AttentionItem): Node {
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
    (toggle as HTMLInputElement).checked = this.state.showBefore;
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

  /** The busy line, and the buttons that would start another request while one runs. */
  setBusy(busy: boolean, message?: string): void {
    const { busyStatus, typedGo } = this.page;
    busyStatus.textContent = busy ? message ?? t('Working…') : '';
    document.body.dataset.busy = String(busy);
    const main = document.getElementById('app');
    if (busy) main?.setAttribute('aria-busy', 'true');
    else main?.removeAttribute('aria-busy');
    typedGo.disabled = busy;
    document.querySelectorAll<HTMLButtonElement>('#whatif-go').forEach(b => (b.disabled = busy));
  }
}

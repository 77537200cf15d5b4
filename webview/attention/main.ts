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
 * Split by concern: store.ts (what is shown, DOM-free), page.ts (the static skeleton), view.ts
 * (drawing); this file wires the user's input and the host's messages to them and posts the
 * requests. Items (not the live data, which the host resends) are saved with setState for
 * reloads. The page speaks the host's language: the first `items` message carries the bundle.
 */
import type { AttentionState, HostToAttentionMessage } from '../../src/shared/attentionProtocol';
import { onThemeChange } from '../common/dom';
import { t, useL10nBundle } from '../common/l10n';
import { getState, onHostMessage, post, setState } from '../common/vscodeApi';
import { displayToken, exportJson, exportName } from './heatmap';
import { buildPage, type AttentionPage } from './page';
import { AttentionViewState } from './store';
import { tableKeyboard } from './table';
import { AttentionView } from './view';

const state = new AttentionViewState();
/** Built on the first host message (it brings the translation bundle). */
let page: AttentionPage | undefined;
let view: AttentionView | undefined;

function save(): void {
  setState(state.saved());
}

/** A row of the map was clicked: say which, and highlight its source tokens when they came from a selection. */
function highlightRow(ui: AttentionPage, row: number): void {
  const shown = state.current;
  if (!shown) return;
  const item = state.selectedItem();
  const token = displayToken(shown.tokens[row] ?? '');
  ui.detail.textContent = item?.origin === 'selection'
    ? t('Row {0}: “{1}” — its source tokens are highlighted in the editor.', row + 1, token)
    : t('Row {0}: “{1}”.', row + 1, token);
  document.body.dataset.highlightedRow = String(row);
  if (item?.origin === 'selection') post({ type: 'highlightRow', ref: shown.ref, row });
}

/** Builds the page and listens to its controls. */
function start(): { page: AttentionPage; view: AttentionView } {
  const ui: AttentionPage = buildPage(row => highlightRow(ui, row));
  const drawn = new AttentionView(ui, state);
  tableKeyboard(ui.tableView, text => (ui.detail.textContent = text));
  ui.tableView.addEventListener('toggle', () => {
    if (ui.tableView.open && state.current && ui.tableView.dataset.key !== state.current.key) drawn.renderTable(state.current);
  });

  ui.typedForm.addEventListener('submit', event => {
    event.preventDefault();
    const text = ui.typedText.value.trim();
    if (!text) {
      ui.failure.textContent = t('Type a sentence to translate.');
      ui.typedText.focus();
      return;
    }
    const beam = Math.max(1, Math.min(16, Math.round(Number(ui.beamSize.value) || 1)));
    ui.failure.textContent = '';
    drawn.setBusy(true, t('Translating…'));
    post({ type: 'translate', text, beamSize: beam });
  });

  ui.sampleSelect.addEventListener('change', () => {
    state.select(ui.sampleSelect.value);
    drawn.render();
    save();
  });

  ui.candidateSelect.addEventListener('change', () => {
    state.candidate = Number(ui.candidateSelect.value) || 0;
    drawn.render();
  });

  ui.slider.addEventListener('input', () => {
    state.scrub(Number(ui.slider.value));
    drawn.render();
  });

  ui.exportPng.addEventListener('click', () => {
    const png = ui.heatmap.toPng();
    if (!state.current || !png) return;
    post({ type: 'export', format: 'png', data: png, name: exportName(state.current, 'png') });
  });
  ui.exportJsonButton.addEventListener('click', () => {
    if (state.current) post({ type: 'export', format: 'json', data: exportJson(state.current), name: exportName(state.current, 'json') });
  });

  onThemeChange(() => ui.heatmap.refreshTheme());
  return { page: ui, view: drawn };
}

// The beam and what-if sections are redrawn with each render: their controls are delegated.
document.addEventListener('click', event => {
  const target = event.target as HTMLElement | null;
  const show = target?.closest<HTMLElement>('button.show-candidate');
  if (show) {
    state.candidate = Number(show.dataset.candidate) || 0;
    view?.render();
    document.querySelector<HTMLElement>(`button.show-candidate[data-candidate="${state.candidate}"]`)?.focus();
    return;
  }
  const token = target?.closest<HTMLElement>('#whatif-tokens .token-button');
  if (token) view?.openWhatIfEditor(Number(token.dataset.position));
});

document.addEventListener('change', event => {
  if ((event.target as HTMLElement | null)?.id === 'show-before') {
    state.showBefore = (event.target as HTMLInputElement).checked;
    view?.render();
    document.getElementById('show-before')?.focus();
  }
});

document.addEventListener('submit', event => {
  const form = event.target as HTMLElement | null;
  if (form?.id !== 'whatif-form' || !page || !view) return;
  event.preventDefault();
  const shown = state.current;
  const input = document.getElementById('whatif-token') as HTMLInputElement | null;
  const token = input?.value ?? '';
  if (!shown || token === '') {
    page.failure.textContent = t('Type the token the output should have had.');
    return;
  }
  page.failure.textContent = '';
  view.setBusy(true, t('Decoding from the corrected prefix…'));
  post({ type: 'whatIf', ref: shown.ref, position: Number(form.dataset.position), token });
});

onHostMessage<HostToAttentionMessage>(message => {
  if (!page || !view) {
    // The host's first message is `items` with its translation bundle (absent in English); load it
    // before anything is built, since every string the page shows goes through t().
    if (message.type === 'items') useL10nBundle(message.l10n);
    ({ page, view } = start());
  }
  switch (message.type) {
    case 'items':
      state.setItems(message.items, message.selectedId);
      view.setBusy(false);
      view.render();
      save();
      break;
    case 'live':
      state.setLive(message.live);
      view.render();
      break;
    case 'evaluation':
      if (state.addEvaluation(message.runDir, message.evaluation)) view.render();
      break;
    case 'busy':
      view.setBusy(message.busy, message.message);
      break;
    case 'failed':
      view.setBusy(false);
      page.failure.textContent = message.message;
      break;
    case 'exported':
      page.detail.textContent = t('Saved {0}', message.path);
      break;
  }
});

// The saved items come back at once; they are drawn with the host's first message (it brings the
// translation bundle the page is built with) and replaced by its items.
state.restore(getState() as Partial<AttentionState> | undefined);
post({ type: 'ready' });

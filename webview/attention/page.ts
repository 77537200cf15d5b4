/**
 * The attention webview's static skeleton, built once (on the first host message: it brings
 * the translation bundle every string here goes through): the sample chooser, the typed-text
 * form, the candidate and evaluation controls, the map with its tooltip and help, the export
 * buttons, the weights table and the beam and what-if sections view.ts fills in.
 */
import { el, showContent } from '../common/dom';
import { t } from '../common/l10n';
import { Heatmap } from './chart';

/** The elements the view fills in and main.ts listens to. */
export interface AttentionPage {
  sampleSelect: HTMLSelectElement;
  typedForm: HTMLFormElement;
  typedText: HTMLInputElement;
  beamSize: HTMLInputElement;
  typedGo: HTMLButtonElement;
  candidateSelect: HTMLSelectElement;
  candidateRow: HTMLDivElement;
  slider: HTMLInputElement;
  sliderLabel: HTMLSpanElement;
  liveRow: HTMLDivElement;
  busyStatus: HTMLParagraphElement;
  failure: HTMLParagraphElement;
  summary: HTMLDListElement;
  noAttention: HTMLParagraphElement;
  chartBox: HTMLDivElement;
  detail: HTMLParagraphElement;
  exportPng: HTMLButtonElement;
  exportJsonButton: HTMLButtonElement;
  exportRow: HTMLDivElement;
  tableView: HTMLDetailsElement;
  tableHelp: HTMLParagraphElement;
  beamSection: HTMLElement;
  whatIfSection: HTMLElement;
  heatmap: Heatmap;
}

/** Builds and shows the page; `onRow` is called when a row of the map is clicked (or Enter). */
export function buildPage(onRow: (row: number) => void): AttentionPage {
  const sampleSelect = el('select', { id: 'sample-select' });
  const typedText = el('input', { id: 'typed-text', type: 'text', placeholder: 'march 3 2021', autocomplete: 'off', spellcheck: 'false' });
  const beamSize = el('input', { id: 'beam-size', type: 'number', min: '1', max: '16', value: '4' });
  const typedGo = el('button', { id: 'typed-go', type: 'submit' }, t('Translate'));
  const typedForm = el(
    'form',
    { id: 'typed-form', class: 'row', 'aria-label': t('Translate typed text') },
    el('label', { for: 'typed-text' }, t('Text')),
    typedText,
    el('label', { for: 'beam-size' }, t('Beam width')),
    beamSize,
    typedGo,
  );
  const candidateSelect = el('select', { id: 'candidate-select' });
  const candidateRow = el('div', { class: 'row', id: 'candidate-row' }, el('label', { for: 'candidate-select' }, t('Beam candidate')), candidateSelect);
  const layerNote = el('p', { id: 'layer-note', class: 'help' }, t('One attention per output token: the decoder attends once per step (after its top layer), so multi-layer models have no layer or head to choose.'));

  const slider = el('input', { id: 'eval-slider', type: 'range', min: '0', max: '0', step: '1', value: '0' });
  const sliderLabel = el('span', { id: 'eval-label', class: 'help' });
  const liveRow = el('div', { id: 'live-controls', class: 'row' }, el('label', { for: 'eval-slider' }, t('Evaluation')), slider, sliderLabel);

  const busyStatus = el('p', { id: 'busy', role: 'status', 'aria-live': 'polite', class: 'help' });
  const failure = el('p', { id: 'failure', role: 'alert', class: 'error' });

  const summary = el('dl', { class: 'stats', id: 'translation-summary' });
  const noAttention = el('p', { id: 'no-attention', role: 'note', hidden: '' }, t('This model has no attention (attention = none): there are no weights to show.'));
  const canvas = el('canvas', { id: 'attention-chart', tabindex: '0', role: 'application', 'aria-roledescription': t('attention heatmap'), 'aria-describedby': 'heatmap-help' });
  const tooltip = el('div', { id: 'chart-tooltip', role: 'tooltip', hidden: '' });
  const chartBox = el('div', { id: 'chart-box', class: 'chart-box' }, canvas, tooltip);
  const heatmapHelp = el(
    'p',
    { id: 'heatmap-help', class: 'help' },
    t('Rows are output tokens, columns source tokens; the stronger a cell’s colour, the more attention; the outlined cell is each row\'s maximum. Hover a cell, or focus the map and use the arrow keys; click a row (or press Enter) to highlight its source tokens in the editor.'),
  );
  const detail = el('p', { id: 'cell-detail', role: 'status', 'aria-live': 'polite', class: 'help' });
  const exportPng = el('button', { id: 'export-png', type: 'button', class: 'secondary' }, t('Export PNG'));
  const exportJsonButton = el('button', { id: 'export-json', type: 'button', class: 'secondary' }, t('Export JSON'));
  const exportRow = el('div', { class: 'row' }, exportPng, exportJsonButton);
  const tableView = el('details', { id: 'table-view' }, el('summary', {}, t('Weights as a table')));
  const tableHelp = el('p', { id: 'table-help', class: 'help' }, t('Arrow keys move between cells; Home/End go to the row\'s first/last cell.'));

  const beamSection = el('section', { id: 'beam-section', 'aria-labelledby': 'beam-heading' });
  const whatIfSection = el('section', { id: 'whatif-section', 'aria-labelledby': 'whatif-heading' });

  const heatmap = new Heatmap(chartBox, canvas, tooltip, {
    onRow,
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
  return {
    sampleSelect, typedForm, typedText, beamSize, typedGo, candidateSelect, candidateRow, slider, sliderLabel, liveRow, busyStatus, failure,
    summary, noAttention, chartBox, detail, exportPng, exportJsonButton, exportRow, tableView, tableHelp, beamSection, whatIfSection, heatmap,
  };
}

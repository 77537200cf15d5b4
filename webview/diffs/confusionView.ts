/**
 * The confusion-matrix view of a classify run (the diffs panel shows it when the run's shape
 * says `view: 'confusion'`): a labels × labels <table> of counts, rows = reference and columns
 * = predicted, each cell shaded by its count (theme chart colours: the diagonal in blue, errors
 * in red); per-class precision, recall and F1 and the macro-F1; a choice of evaluation (the
 * latest by default, or the predictions of this panel's checkpoint); and a cell's examples from
 * the predicted samples, listed when the cell is clicked (each cell with samples is a button).
 */
import { formatMetric } from '../../src/shared/metrics';
import type { EvaluationConfusion, PredictionSet } from '../../src/shared/diffsProtocol';
import { el } from '../common/dom';
import { t } from '../common/l10n';
import { cellExamples, cellShade, classifyAgreement, confusionOf, parseConfusion, summarizeMatrix, topConfusions, type ConfusionMatrix } from './confusion';

/** Most examples a cell lists. */
const MAX_EXAMPLES = 200;
/** Most disagreements a comparison lists. */
const MAX_DISAGREEMENTS = 500;

interface Source {
  id: string;
  label: string;
  matrix: ConfusionMatrix;
}

/** The matrices to choose from: every evaluation (newest first), then the panel's own predictions. */
function sources(evaluations: readonly EvaluationConfusion[], set: PredictionSet | undefined): Source[] {
  const out: Source[] = [];
  for (const [i, e] of [...evaluations.entries()].reverse()) {
    const matrix = parseConfusion(e.confusion);
    if (!matrix || !Number.isSafeInteger(e.step)) continue;
    const label = e.split === 'test' ? t('Test split, step {0} (final)', e.step) : e.best ? t('Validation, step {0} (best so far)', e.step) : t('Validation, step {0}', e.step);
    out.push({ id: `eval-${i}`, label, matrix });
  }
  if (set && set.samples.length) out.push({ id: 'predictions', label: t('These predictions: {0}', set.label), matrix: confusionOf(set.samples) });
  return out;
}

/** A percentage for the per-class table (precision, recall and F1 are fractions). */
const pct = (value: number) => formatMetric('macroF1', value);

function matrixTable(m: ConfusionMatrix, examples: ((r: number, c: number) => number[]) | undefined, onCell: (r: number, c: number) => void, id = 'confusion'): HTMLTableElement {
  const summary = summarizeMatrix(m);
  const table = el('table', { id, class: 'confusion', 'data-labels': String(m.labels.length), 'data-total': String(summary.total) });
  table.append(el('caption', {}, t('Confusion matrix: rows are the reference labels, columns the predicted ones; the totals count each label\'s references (last column) and predictions (last row).')));
  const head = el('tr', {}, el('th', { scope: 'col', class: 'corner' }, t('Reference ╲ predicted')));
  m.labels.forEach(label => head.append(el('th', { scope: 'col', class: 'label', title: label }, label)));
  head.append(el('th', { scope: 'col' }, t('Total')));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  m.counts.forEach((row, r) => {
    const tr = el('tr', { 'data-reference': m.labels[r] }, el('th', { scope: 'row', class: 'label', title: m.labels[r] }, m.labels[r]));
    row.forEach((count, c) => {
      const kind = r === c ? 'diag' : 'off';
      const what = t('reference {0}, predicted {1}: {2}', m.labels[r], m.labels[c], count);
      const td = el('td', { class: `cell ${kind}${count ? '' : ' zero'}`, 'data-count': String(count), 'data-row': String(r), 'data-col': String(c), title: what });
      td.style.setProperty('--shade', String(cellShade(count, summary.max)));
      const listed = examples?.(r, c).length ?? 0;
      if (listed > 0) {
        const button = el('button', { type: 'button', class: 'cell-button', 'aria-label': t('{0}. Show the examples.', what) }, String(count));
        button.addEventListener('click', () => onCell(r, c));
        td.append(button);
      } else {
        td.append(String(count));
      }
      tr.append(td);
    });
    tr.append(el('td', { class: 'total' }, String(summary.classes[r].support)));
    body.append(tr);
  });
  table.append(body);
  const foot = el('tr', {}, el('th', { scope: 'row' }, t('Total')));
  summary.classes.forEach(c => foot.append(el('td', { class: 'total' }, String(c.predicted))));
  foot.append(el('td', { class: 'total' }, String(summary.total)));
  table.append(el('tfoot', {}, foot));
  return table;
}

function scoresTable(m: ConfusionMatrix): HTMLTableElement {
  const summary = summarizeMatrix(m);
  const table = el('table', { id: 'class-scores', class: 'class-scores' });
  table.append(el('caption', {}, t('Per-class precision, recall and F1')));
  table.append(el('thead', {}, el('tr', {}, ...[t('Label'), t('Precision'), t('Recall'), t('F1'), t('Support')].map(h => el('th', { scope: 'col' }, h)))));
  const body = el('tbody');
  for (const c of summary.classes) {
    body.append(el('tr', { 'data-label': c.label }, el('th', { scope: 'row' }, c.label), el('td', {}, pct(c.precision)), el('td', {}, pct(c.recall)), el('td', {}, pct(c.f1)), el('td', {}, String(c.support))));
  }
  table.append(body);
  table.append(el('tfoot', {}, el('tr', { id: 'macro-f1' }, el('th', { scope: 'row' }, t('Macro-F1')), el('td', {}), el('td', {}), el('td', {}, pct(summary.macroF1)), el('td', {}, String(summary.total)))));
  return table;
}

/** The sentence above the matrix: samples, accuracy, macro-F1 and the most frequent errors. */
export function matrixSummary(m: ConfusionMatrix): string {
  const s = summarizeMatrix(m);
  const errors = topConfusions(m).map(e => `${e.ref} → ${e.pred} (×${e.count})`).join(', ') || t('none');
  return t('{0} samples · accuracy {1} · macro-F1 {2} · most frequent errors: {3}', s.total, formatMetric('exactMatch', s.accuracy), formatMetric('macroF1', s.macroF1), errors);
}

export interface ConfusionViewInput {
  evaluations: readonly EvaluationConfusion[];
  /** The predictions of this panel's checkpoint (undefined while they are predicted or when predicting failed). */
  set?: PredictionSet;
  /** Why there are no predictions (a failure), shown where the examples would be. */
  problem?: string;
  /** The panel's split: the latest evaluation of it is shown first. */
  split?: 'valid' | 'test';
}

/** The confusion view's nodes, and a way to pick the chosen source again after a re-render. */
export class ConfusionView {
  private chosen: string | undefined;
  readonly element = el('section', { id: 'confusion-view', 'aria-labelledby': 'confusion-heading' });

  render(input: ConfusionViewInput): void {
    const all = sources(input.evaluations, input.set);
    if (all.length === 0) {
      this.element.replaceChildren(el('h2', { id: 'confusion-heading' }, t('Confusion matrix')), el('p', { id: 'confusion-empty', class: 'help' }, t('No confusion matrix yet: the run has no evaluation with one, and there are no predictions.')));
      document.body.dataset.matrix = 'none';
      return;
    }
    const latestOfSplit = [...input.evaluations.keys()].reverse().find(i => input.evaluations[i].split === input.split);
    const source = all.find(s => s.id === this.chosen) ?? all.find(s => s.id === `eval-${latestOfSplit}`) ?? all[0];
    this.chosen = source.id;
    const select = el('select', { id: 'matrix-source' });
    for (const s of all) select.append(el('option', { value: s.id, ...(s.id === source.id ? { selected: '' } : {}) }, s.label));
    select.addEventListener('change', () => {
      this.chosen = select.value;
      this.render(input);
      document.getElementById('matrix-source')?.focus();
    });
    const samples = input.set?.samples ?? [];
    const m = source.matrix;
    const examplesBox = el('div', { id: 'cell-examples', 'aria-live': 'polite' });
    const examplesOf = input.set ? (r: number, c: number) => cellExamples(samples, m, m.labels[r], m.labels[c]) : undefined;
    const showCell = (r: number, c: number) => {
      const found = examplesOf!(r, c);
      const heading = t('Reference {0}, predicted {1}: {2} example(s) from {3}', m.labels[r], m.labels[c], found.length, input.set!.label);
      const list = el('ol', { class: 'examples' });
      for (const i of found.slice(0, MAX_EXAMPLES)) {
        const sample = samples[i];
        const p = sample.probabilities[0];
        list.append(el('li', { 'data-index': String(sample.index) }, el('span', { class: 'num' }, `#${sample.index + 1}`), ' ', el('span', { class: 'source' }, sample.source), ' → ', el('strong', {}, sample.prediction),
          ...(typeof p === 'number' ? [el('span', { class: 'help' }, ` (p ${Math.round(p * 100)} %)`)] : [])));
      }
      examplesBox.replaceChildren(el('h3', { id: 'cell-examples-heading' }, heading), list,
        ...(found.length > MAX_EXAMPLES ? [el('p', { class: 'help' }, t('The first {0} are listed.', MAX_EXAMPLES))] : []));
      examplesBox.dataset.count = String(found.length);
    };
    const note = input.set
      ? source.id === 'predictions'
        ? t('Click a count to list its examples.')
        : t('Click a count to list its examples from the predictions of {0} (their counts can differ from this evaluation\'s).', input.set.label)
      : input.problem ?? t('The examples of each cell can be listed once the predictions are in.');
    this.element.replaceChildren(
      el('h2', { id: 'confusion-heading' }, t('Confusion matrix')),
      el('p', { class: 'controls' }, el('label', { for: 'matrix-source' }, t('Evaluation')), ' ', select),
      el('p', { id: 'matrix-summary', class: 'summary', role: 'status' }, matrixSummary(m)),
      el('div', { class: 'table-scroll', role: 'region', tabindex: '0', 'aria-label': t('Confusion matrix') }, matrixTable(m, examplesOf, showCell)),
      el('p', { id: 'confusion-help', class: input.problem && !input.set ? 'error' : 'help' }, note),
      examplesBox,
      el('div', { class: 'table-scroll', role: 'region', tabindex: '0', 'aria-label': t('Per-class precision, recall and F1') }, scoresTable(m)),
    );
    document.body.dataset.matrix = source.id;
  }
}

/**
 * Two checkpoints of a classify run (or two runs on the same data) side by side: each one's
 * confusion matrix of its predictions with its accuracy and macro-F1, how often each is right
 * where the other is not, and the samples the two label differently (the right one marked).
 */
export function confusionComparison(a: PredictionSet, b: PredictionSet): HTMLElement {
  const agreement = classifyAgreement(a.samples, b.samples);
  const side = (set: PredictionSet, key: 'a' | 'b') => {
    const m = confusionOf(set.samples);
    return el('div', { class: 'side', id: `side-${key}` },
      el('h2', { id: `label-${key}` }, `${key.toUpperCase()}: ${set.label}`),
      el('p', { class: 'summary', id: `matrix-summary-${key}` }, matrixSummary(m)),
      el('div', { class: 'table-scroll', role: 'region', tabindex: '0', 'aria-label': t('Confusion matrix of {0}', set.label) }, matrixTable(m, undefined, () => undefined, `confusion-${key}`)));
  };
  const listed = agreement.disagreements.slice(0, MAX_DISAGREEMENTS);
  const mark = (right: boolean) => ({ class: right ? 'right' : 'wrong' });
  const rows = listed.map(d => el('tr', { 'data-index': String(d.index), 'data-right': d.right },
    el('td', { class: 'num' }, `#${d.index + 1}`), el('td', { class: 'source' }, d.source), el('td', {}, d.reference),
    el('td', mark(d.right === 'a' || d.right === 'both'), d.a), el('td', mark(d.right === 'b' || d.right === 'both'), d.b)));
  const table = el('table', { id: 'disagreements', class: 'class-scores' },
    el('caption', {}, t('Samples the two checkpoints label differently; the right label is marked')),
    el('thead', {}, el('tr', {}, ...[t('Sample'), t('Source'), t('Reference'), 'A', 'B'].map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows));
  const summary = t('{0} samples: both right {1} · only A right {2} · only B right {3} · both wrong {4} · labelled differently {5}',
    agreement.total, agreement.bothRight, agreement.onlyA, agreement.onlyB, agreement.bothWrong, agreement.disagreements.length);
  return el('section', { id: 'confusion-compare', 'data-disagreements': String(agreement.disagreements.length), 'data-only-a': String(agreement.onlyA), 'data-only-b': String(agreement.onlyB) },
    el('p', { id: 'compare-summary', class: 'summary', role: 'status' }, summary),
    el('div', { class: 'sides' }, side(a, 'a'), side(b, 'b')),
    el('h2', {}, t('Where they disagree')),
    ...(rows.length
      ? [el('div', { class: 'table-scroll', role: 'region', tabindex: '0', 'aria-label': t('Where they disagree') }, table)]
      : [el('p', { class: 'help', id: 'no-disagreements' }, t('The two label every sample the same.'))]),
    ...(agreement.disagreements.length > listed.length ? [el('p', { class: 'help' }, t('The first {0} are listed.', MAX_DISAGREEMENTS))] : []));
}

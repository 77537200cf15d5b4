/** DOM pieces of the run renderer that need no chart library: metrics and sample diffs. */
import type { LoggedMetrics, RunSample } from '../../src/shared/experimentLog/types';
import { loggedMetricEntries } from '../../src/shared/experimentLog/runMarkdown';
import { tokenDiff } from '../../src/shared/experimentLog/tokenDiff';
import type { ResolvedShape } from '../../src/shared/config';
import type { TargetUnit } from '../../src/shared/metrics';
import type { LogTranslate } from '../../src/shared/experimentLog/text';

/** Theme colours only, through VS Code's variables, so the output follows light/dark themes. */
export const STYLE = `
.s2s-run { font-family: var(--vscode-font-family); color: var(--vscode-foreground); }
.s2s-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px; }
.s2s-chart { position: relative; height: 200px; }
.s2s-metrics { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 10px 0; }
.s2s-metrics div { display: flex; flex-direction: column; }
.s2s-metrics span:first-child { opacity: 0.75; font-size: 0.85em; }
.s2s-metrics span:last-child { font-size: 1.2em; font-variant-numeric: tabular-nums; }
.s2s-samples { border-collapse: collapse; margin-top: 6px; }
.s2s-samples th, .s2s-samples td { text-align: left; padding: 2px 10px 2px 0; vertical-align: top; }
.s2s-samples td { font-family: var(--vscode-editor-font-family); }
.s2s-missing { text-decoration: line-through; color: var(--vscode-gitDecoration-deletedResourceForeground, #c74e39); }
.s2s-extra { font-weight: bold; color: var(--vscode-gitDecoration-addedResourceForeground, #81b88b); background: var(--vscode-diffEditor-insertedTextBackground, transparent); }
`;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The final metrics: every metric the log holds that the run's shape has (METRICS' labels and formats; PER for phoneme targets, Accuracy for classify). */
export function renderMetrics(label: string, metrics: LoggedMetrics, unit: TargetUnit, t: LogTranslate, shape: ResolvedShape = 'seq2seq'): HTMLElement {
  const section = element('section');
  section.append(element('strong', undefined, label));
  const grid = element('div', 's2s-metrics');
  for (const entry of loggedMetricEntries(metrics, unit, t, shape)) {
    const cell = element('div');
    cell.dataset.metric = entry.key;
    cell.append(element('span', undefined, entry.label), element('span', undefined, entry.text));
    grid.append(cell);
  }
  section.append(grid);
  return section;
}

/** The prediction with tokens missing from the reference struck through and extra ones highlighted. */
function diffCell(sample: RunSample, t: LogTranslate): HTMLElement {
  const cell = element('td');
  const diff = tokenDiff(sample.reference, sample.prediction);
  diff.parts.forEach((part, i) => {
    if (i > 0 && diff.joiner) cell.append(diff.joiner);
    const text = part.tokens.join(diff.joiner);
    if (part.kind === 'same') cell.append(text);
    else {
      const span = element('span', part.kind === 'missing' ? 's2s-missing' : 's2s-extra', text);
      span.title = part.kind === 'missing' ? t('in the reference, missing from the prediction') : t('in the prediction, not in the reference');
      cell.append(span);
    }
  });
  return cell;
}

export function renderSamples(samples: RunSample[], t: LogTranslate): HTMLElement {
  const section = element('section');
  section.append(element('strong', undefined, t('Sample predictions')));
  const table = element('table', 's2s-samples');
  const head = element('tr');
  for (const title of [t('Source'), t('Reference'), t('Prediction')]) head.append(element('th', undefined, title));
  table.append(head);
  for (const sample of samples) {
    const row = element('tr');
    row.append(element('td', undefined, sample.source), element('td', undefined, sample.reference), diffCell(sample, t));
    table.append(row);
  }
  section.append(table);
  return section;
}

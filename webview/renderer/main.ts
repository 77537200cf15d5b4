/**
 * Notebook renderer for `application/vnd.seq2seq-lab.run+json`: a run's curves (chart.js),
 * its final metrics and sample predictions with token diffs. The payload is the run cell
 * itself (src/shared/experimentLog/types.ts); the charts are the same series the exports draw
 * (runCharts.ts), so the notebook and an exported file never disagree.
 */
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { ActivationFunction } from 'vscode-notebook-renderer';
import type { RunCell } from '../../src/shared/experimentLog/types';
import { runCharts } from '../../src/shared/experimentLog/runCharts';
import { finalMetrics, runShape, targetUnit } from '../../src/shared/experimentLog/runMarkdown';
import { bundleText, type LogTranslate } from '../../src/shared/experimentLog/text';
import { paletteColor } from '../common/chartTheme';
import { renderMetrics, renderSamples, STYLE } from './parts';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);


function foreground(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--vscode-foreground').trim() || '#888888';
}

function drawCharts(run: RunCell, container: HTMLElement, t: LogTranslate): Chart[] {
  const grid = document.createElement('div');
  grid.className = 's2s-charts';
  container.append(grid);
  const text = foreground();
  return runCharts(run, t).map(spec => {
    const box = document.createElement('div');
    box.className = 's2s-chart';
    const canvas = document.createElement('canvas');
    canvas.setAttribute('aria-label', t('{0} over training steps', spec.title));
    box.append(canvas);
    grid.append(box);
    return new Chart(canvas, {
      type: 'line',
      data: {
        datasets: spec.series.map(series => ({
          label: series.name,
          data: series.points.map(([x, y]) => ({ x, y })),
          borderColor: paletteColor(series.color),
          backgroundColor: paletteColor(series.color),
          borderWidth: 1.5,
          // Evaluations are few: show their dots; the dense train curve reads better without.
          pointRadius: series.points.length > 60 ? 0 : 2,
        })),
      },
      options: {
        // Live runs redraw every second; animating each redraw only distracts.
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: { type: 'linear', title: { display: true, text: t('step'), color: text }, ticks: { color: text } },
          y: { type: 'linear', title: { display: true, text: spec.yLabel, color: text }, ticks: { color: text } },
        },
        plugins: { legend: { labels: { color: text, boxHeight: 2 } }, tooltip: { mode: 'nearest', intersect: false } },
      },
    });
  });
}

export const activate: ActivationFunction = () => {
  const charts = new Map<string, Chart[]>();
  const dispose = (id: string) => {
    for (const chart of charts.get(id) ?? []) chart.destroy();
    charts.delete(id);
  };
  return {
    renderOutputItem(outputItem, element) {
      dispose(outputItem.id);
      element.replaceChildren();
      const style = document.createElement('style');
      style.textContent = STYLE;
      const root = document.createElement('div');
      root.className = 's2s-run';
      element.append(style, root);
      // The host puts the renderer's strings, translated, into each output (`l10n`; absent in English).
      let run: RunCell & { l10n?: Record<string, string> };
      let t: LogTranslate = bundleText(undefined);
      try {
        run = outputItem.json() as RunCell & { l10n?: Record<string, string> };
        t = bundleText(run.l10n);
      } catch (err) {
        root.textContent = t('Cannot show this run: {0}', err instanceof Error ? err.message : String(err));
        return;
      }
      if (run.metricsHistory.length === 0) {
        const empty = document.createElement('p');
        empty.textContent = run.state === 'running' ? t('Waiting for the first training steps…') : t('This run recorded no metrics.');
        root.append(empty);
      }
      charts.set(outputItem.id, drawCharts(run, root, t));
      const final = finalMetrics(run, t);
      if (final) root.append(renderMetrics(final.label, final.metrics, targetUnit(run), t, runShape(run)));
      if (run.samples.length > 0) root.append(renderSamples(run.samples, t));
    },
    disposeOutputItem(id) {
      if (id === undefined) {
        for (const key of [...charts.keys()]) dispose(key);
      } else dispose(id);
    },
  };
};

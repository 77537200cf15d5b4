/**
 * The Markdown text of a run: what it trained on, the settings that differ from the defaults
 * (then the rest, folded), and its final metrics. Shown as the run cell's first output and
 * reused by the exports.
 */
import { CONFIG_FIELDS, DEFAULT_CONFIG } from '../config';
import type { ResolvedShape } from '../config';
import { formatMetric, metricLabel, METRICS, type MetricKey, type TargetUnit } from '../metrics';
import { SHAPES, SHAPE_NAMES } from '../shapes';
import type { LoggedMetrics, RunCell } from './types';
import { changedSettings } from './runRecipe';
import { englishText, type LogTranslate } from './text';
import { tokenDiff } from './tokenDiff';

/** Escapes what would break a table cell or start Markdown formatting. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/[|*_~`<>[\]]/g, c => `\\${c}`).replace(/\r?\n/g, ' ');
}

function code(value: unknown): string {
  return '`' + String(value).replace(/`/g, "'") + '`';
}

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A logged metric as text (METRICS' format); '–' for null (non-finite) or absent. */
export function metricText(key: MetricKey, value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : formatMetric(key, value);
}

/** The shape a run trained: its result's, else its configuration's; seq2seq for runs before the shapes. */
export function runShape(run: RunCell): ResolvedShape {
  const shape = run.result?.shape ?? run.config.shape;
  return typeof shape === 'string' && (SHAPE_NAMES as readonly string[]).includes(shape) ? (shape as ResolvedShape) : 'seq2seq';
}

/** Whether a metric means something for `shape` (BLEU does not for classify: its column is left out). */
export function metricOfShape(key: MetricKey, shape: ResolvedShape = 'seq2seq'): boolean {
  return SHAPES[shape].metrics.includes(key);
}

/**
 * The metrics a log holds that the run's shape has, in METRICS order (an older log has no
 * cer/wer), labelled for the run's target unit (WER → PER) and shape (classify: Accuracy).
 */
export function loggedMetricEntries(metrics: LoggedMetrics, unit: TargetUnit = 'word', t: LogTranslate = englishText, shape: ResolvedShape = 'seq2seq'): Array<{ key: MetricKey; label: string; text: string }> {
  return METRICS.filter(m => metrics[m.key] !== undefined && metricOfShape(m.key, shape)).map(m => ({ key: m.key, label: t(metricLabel(m.key, unit, shape)), text: metricText(m.key, metrics[m.key]) }));
}

export function metricsTable(metrics: LoggedMetrics, unit: TargetUnit = 'word', t: LogTranslate = englishText, shape: ResolvedShape = 'seq2seq'): string {
  const entries = loggedMetricEntries(metrics, unit, t, shape);
  return [`| ${entries.map(e => e.label).join(' | ')} |`, `|${' ---: |'.repeat(entries.length)}`, `| ${entries.map(e => e.text).join(' | ')} |`].join('\n');
}

function statusLine(run: RunCell, t: LogTranslate): string {
  const data = 'task' in run.data ? t('built-in task {0}', code(run.data.task)) : t('data file {0}', code(run.data.dataPath));
  const parts = [t('**Data:** {0}', data)];
  if (run.result) {
    parts.push(t('**Backend:** {0}', escapeCell(run.result.backend)), t('{0} steps, {1} epochs in {2}', run.result.steps, run.result.epochs, duration(run.result.seconds)), t('stopped: {0}', escapeCell(run.result.stopReason)));
  } else if (run.state === 'running') {
    const total = run.progress.totalSteps > 0 ? ` / ${run.progress.totalSteps}` : '';
    parts.push(t('step {0} ({1} %)', `${run.progress.step}${total}`, Math.round(run.progress.fractionDone * 100)));
  } else {
    parts.push(t('stopped at step {0}', run.progress.step));
  }
  return parts.join(' · ');
}

function settingsTables(run: RunCell, t: LogTranslate): string {
  const changed = changedSettings(run.config);
  const defaults = DEFAULT_CONFIG as unknown as Record<string, unknown>;
  const lines: string[] = [];
  if (changed.length > 0) {
    lines.push(`| ${t('Setting')} | ${t('Value')} | ${t('Default')} |`, '| --- | --- | --- |');
    for (const [key, value] of changed) lines.push(`| ${key} | **${code(value)}** | ${key in defaults ? code(defaults[key]) : t('(not in this version)')} |`);
  } else {
    lines.push(t('All settings at their defaults.'));
  }
  const unchanged = CONFIG_FIELDS.map(f => f.key as string).filter(key => key in run.config && !changed.some(([k]) => k === key));
  if (unchanged.length > 0) {
    // A blank line after <summary> makes Markdown renderers treat the table as Markdown.
    lines.push('', `<details><summary>${t('{0} settings at their defaults', unchanged.length)}</summary>`, '', `| ${t('Setting')} | ${t('Value')} |`, '| --- | --- |');
    for (const key of unchanged) lines.push(`| ${key} | ${code(run.config[key])} |`);
    lines.push('', '</details>');
  }
  return lines.join('\n');
}

/** What a target word of the run is (its result says `phoneme` for g2p), for the WER/PER label. */
export function targetUnit(run: RunCell): TargetUnit {
  return run.result?.targetUnit === 'phoneme' ? 'phoneme' : 'word';
}

/** The metrics to show as "final": the test result, else the latest validation. */
export function finalMetrics(run: RunCell, t: LogTranslate = englishText): { label: string; metrics: LoggedMetrics } | undefined {
  if (run.result) return { label: t('Final metrics (test split, best checkpoint)'), metrics: run.result.metrics };
  const last = [...run.metricsHistory].reverse().find(p => p.valid);
  return last?.valid ? { label: t('Latest validation (step {0})', last.step), metrics: last.valid } : undefined;
}

export function runTitle(run: RunCell, t: LogTranslate = englishText): string {
  return t('Run {0} — {1}', code(run.runDir), t(run.state));
}

/** Dataset, settings and final metrics; charts and samples are the renderer's (or an export's). */
export function runSummaryMarkdown(run: RunCell, t: LogTranslate = englishText): string {
  const sections = [`### ${runTitle(run, t)}`, statusLine(run, t), settingsTables(run, t)];
  const final = finalMetrics(run, t);
  if (final) sections.push(`**${final.label}**`, metricsTable(final.metrics, targetUnit(run), t, runShape(run)));
  return sections.join('\n\n');
}

/** Sample predictions with the wrong tokens marked: ~~missing~~ from the reference, **extra** in the prediction. */
export function samplesMarkdown(run: RunCell, t: LogTranslate = englishText): string {
  if (run.samples.length === 0) return '';
  const rows = run.samples.map(sample => {
    const diff = tokenDiff(sample.reference, sample.prediction);
    const marked = diff.parts
      .map(part => {
        const text = escapeCell(part.tokens.join(diff.joiner));
        return part.kind === 'same' ? text : part.kind === 'missing' ? `~~${text}~~` : `**${text}**`;
      })
      .join(diff.joiner);
    return `| ${escapeCell(sample.source)} | ${escapeCell(sample.reference)} | ${marked} |`;
  });
  return [t('**Sample predictions** (~~missing~~ / **extra** tokens)'), '', `| ${t('Source')} | ${t('Reference')} | ${t('Prediction')} |`, '| --- | --- | --- |', ...rows].join('\n');
}

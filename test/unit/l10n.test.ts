/**
 * zh-CN localization is complete: every `vscode.l10n.t` string of the extension host has a
 * translation in l10n/bundle.l10n.zh-cn.json, every `%key%` of package.json is in
 * package.nls.json and package.nls.zh-cn.json, and placeholders survive translation.
 * The webviews (train form, dashboard, diffs, compare, attention, experiments) use the same bundle (the host
 * sends it to them): their `t('…')` strings and the English tables they show through `t` (the
 * config schema's labels, help, presets and validation messages, the form's groups, the charts,
 * the built-in tasks, the metrics' labels and descriptions, the dataset card's labels and its
 * DATA_WARNINGS templates) are checked the same way.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FIELDS, CONFIG_MESSAGES, PRESETS } from '../../src/shared/config';
import { SWEEP_MESSAGES } from '../../src/shared/sweep';
import { TASKS } from '../../src/engine/data/tasks';
import { GROUPS, GROUP_LABELS } from '../../webview/form/model';
import { SHAPE_FIELD_REASONS } from '../../webview/form/shapeFields';
import { CARD_LABELS } from '../../webview/form/dataCard';
import { DATA_WARNINGS } from '../../src/shared/dataCard';
import { metricLabel, METRICS } from '../../src/shared/metrics';
import { CURVE_METRICS } from '../../webview/compare/model';
import { RUN_COLUMNS, SWEEP_COLUMN } from '../../src/shared/experimentsTable';
import { RENDERER_STRINGS } from '../../src/shared/experimentLog/text';
import { CHARTS } from '../../webview/dashboard/series';
import { isWebviewT, l10nStrings } from './l10nStrings';

const ROOT = path.resolve(__dirname, '..', '..');
const readJson = (rel: string) => JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8')) as Record<string, string>;
const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join(',');

describe('l10n (zh-CN)', () => {
  it('translates every vscode.l10n.t string of src/extension, keeping its placeholders', () => {
    const bundle = readJson('l10n/bundle.l10n.zh-cn.json');
    const strings = l10nStrings(path.join(ROOT, 'src', 'extension'));
    assert.ok(strings.size > 30, `found ${strings.size} strings`);
    const missing = [...strings].filter(([s]) => !(s in bundle)).map(([s, file]) => `${file}: ${s}`);
    assert.deepEqual(missing, [], 'strings without a zh-CN translation');
    for (const s of strings.keys()) assert.equal(placeholders(bundle[s]), placeholders(s), `placeholders of "${s}"`);
  });

  it('translates every string the train form and dashboard webviews show, keeping its placeholders', () => {
    const bundle = readJson('l10n/bundle.l10n.zh-cn.json');
    const strings = new Map<string, string>();
    for (const dir of ['webview/form', 'webview/dashboard', 'webview/common', 'webview/diffs', 'webview/compare', 'webview/attention', 'webview/experiments', 'webview/sweep']) {
      for (const [s, file] of l10nStrings(path.join(ROOT, dir), isWebviewT)) strings.set(s, `${dir}/${file}`);
    }
    assert.ok(strings.size > 50, `found ${strings.size} t('…') strings in the webviews`);
    for (const f of CONFIG_FIELDS) {
      strings.set(f.label, `config.ts ${f.key}.label`);
      strings.set(f.help, `config.ts ${f.key}.help`);
    }
    for (const [name, preset] of Object.entries(PRESETS)) {
      strings.set(preset.label, `config.ts PRESETS.${name}.label`);
      strings.set(preset.description, `config.ts PRESETS.${name}.description`);
    }
    for (const [name, message] of Object.entries(CONFIG_MESSAGES)) strings.set(message, `config.ts CONFIG_MESSAGES.${name}`);
    for (const [name, message] of Object.entries(SWEEP_MESSAGES)) strings.set(message, `sweep.ts SWEEP_MESSAGES.${name}`);
    for (const group of GROUPS) strings.set(GROUP_LABELS[group], `form/model.ts GROUP_LABELS.${group}`);
    for (const [shape, reason] of Object.entries(SHAPE_FIELD_REASONS)) strings.set(reason, `form/shapeFields.ts SHAPE_FIELD_REASONS.${shape}`);
    for (const chart of CHARTS) {
      strings.set(chart.title, `dashboard/series.ts ${chart.id}.title`);
      for (const series of chart.series) strings.set(series.label, `dashboard/series.ts ${chart.id} series`);
    }
    for (const metric of CURVE_METRICS) strings.set(metric.title, `compare/model.ts CURVE_METRICS.${metric.key}`);
    // The comparison shows each metric's label and description through t(), the form the dataset card's labels and warnings.
    for (const metric of METRICS) {
      strings.set(metric.label, `shared/metrics.ts METRICS.${metric.key}.label`);
      strings.set(metric.description, `shared/metrics.ts METRICS.${metric.key}.description`);
    }
    strings.set(metricLabel('wer', 'phoneme'), 'shared/metrics.ts metricLabel(wer, phoneme)');
    for (const label of CARD_LABELS) strings.set(label, 'form/dataCard.ts SIDE_ROWS');
    // The experiments table's headings (also the CSV header, translated by the host).
    for (const column of [...RUN_COLUMNS, SWEEP_COLUMN]) strings.set(column.label, `shared/experimentsTable.ts RUN_COLUMNS.${column.id}`);
    for (const template of ['Best {0}', 'Final {0}']) strings.set(template, 'shared/experimentsTable.ts columnTitle');
    for (const [id, template] of Object.entries(DATA_WARNINGS)) strings.set(template, `shared/dataCard.ts DATA_WARNINGS.${id}`);
    for (const [name, task] of Object.entries(TASKS)) strings.set(task.description, `engine task ${name}.description`);
    const missing = [...strings].filter(([s]) => typeof bundle[s] !== 'string' || bundle[s].trim() === '').map(([s, where]) => `${where}: ${s}`);
    assert.deepEqual(missing, [], 'webview strings without a zh-CN translation');
    for (const s of strings.keys()) assert.equal(placeholders(bundle[s]), placeholders(s), `placeholders of "${s}"`);
  });

  it('translates the experiment log\'s generated text and every string its notebook renderer shows', () => {
    const bundle = readJson('l10n/bundle.l10n.zh-cn.json');
    const strings = new Map<string, string>();
    // The cells' Markdown, the error cell and the chart texts go through a LogTranslate named t.
    for (const dir of ['src/shared/experimentLog', 'src/extension/notebook', 'webview/renderer']) {
      for (const [s, file] of l10nStrings(path.join(ROOT, dir), isWebviewT)) strings.set(s, `${dir}/${file}`);
    }
    assert.ok(strings.size > 30, `found ${strings.size} strings`);
    // The renderer has no vscode.l10n: it can show only what the host sends it, RENDERER_STRINGS.
    const rendererOwn = [...l10nStrings(path.join(ROOT, 'webview/renderer'), isWebviewT).keys()];
    assert.deepEqual(rendererOwn.filter(s => !RENDERER_STRINGS.includes(s)), [], 'renderer strings missing from RENDERER_STRINGS');
    for (const s of RENDERER_STRINGS) strings.set(s, 'shared/experimentLog/text.ts RENDERER_STRINGS');
    const missing = [...strings].filter(([s]) => typeof bundle[s] !== 'string' || bundle[s].trim() === '').map(([s, where]) => `${where}: ${s}`);
    assert.deepEqual(missing, [], 'experiment log strings without a zh-CN translation');
    for (const s of strings.keys()) assert.equal(placeholders(bundle[s]), placeholders(s), `placeholders of "${s}"`);
  });

  it('has every %key% of package.json in package.nls.json and package.nls.zh-cn.json', () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const keys = [...new Set([...manifest.matchAll(/"%([\w.-]+)%"/g)].map(m => m[1]))];
    assert.ok(keys.length > 10);
    const en = readJson('package.nls.json');
    const zh = readJson('package.nls.zh-cn.json');
    assert.deepEqual(keys.filter(k => !(k in en)), [], 'keys missing from package.nls.json');
    assert.deepEqual(keys.filter(k => !(k in zh)), [], 'keys missing from package.nls.zh-cn.json');
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort(), 'the two nls files have the same keys');
  });
});

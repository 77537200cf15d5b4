/**
 * The experiments table's model: which hyperparameter columns show (only the differing ones by
 * default), cell values, sorting (empty cells last both ways, stable), the per-column filter
 * language (ranges and values, in the units shown), the text search, hidden and starred rows,
 * and CSV (RFC 4180 quoting, formula-looking text defused, raw numbers). Also the protocol's
 * validators and the annotations file's parser.
 */
import { strict as assert } from 'assert';
import {
  cellValue, columnById, columnTitle, csvField, filterRows, formatDuration, hyperparameterColumns, NO_FILTER, parseColumnFilter, sortRows, tableColumns, toCsv,
  type ExperimentRow, type TableFilter,
} from '../../../src/shared/experimentsTable';
import { parseAnnotations, parseExperimentsMessage, parseExperimentsState } from '../../../src/shared/experimentsProtocol';

function row(name: string, over: Partial<ExperimentRow> = {}): ExperimentRow {
  return {
    runDir: `/runs/${name}`, folder: name, name, notes: '', starred: false, hidden: false, state: 'completed', dataset: 'task dates',
    best: {}, final: {}, config: { cell: 'lstm', hiddenSize: 64, learningRate: 0.001, bidirectional: false }, ...over,
  };
}

const lstm = row('lstm', { best: { exactMatch: 0.9, loss: 0.2 }, final: { exactMatch: 0.87 }, durationSeconds: 125, tokensPerSecond: 5000 });
const gru = row('gru', { config: { cell: 'gru', hiddenSize: 64, learningRate: 0.001, bidirectional: false }, best: { exactMatch: 0.95, loss: 0.1 }, final: { exactMatch: 0.93 }, durationSeconds: 50 });
const big = row('big', { config: { cell: 'lstm', hiddenSize: 256, learningRate: 0.001, bidirectional: false }, state: 'running', best: {}, final: {} });
const filter = (over: Partial<TableFilter>) => ({ ...NO_FILTER, ...over });

describe('experiments table model', () => {
  it('shows only the hyperparameters that differ between the runs shown, all on request, in schema order', () => {
    assert.deepEqual(hyperparameterColumns([lstm, gru, big], false).map(c => c.id), ['hp.cell', 'hp.hiddenSize']);
    assert.deepEqual(hyperparameterColumns([lstm, gru], false).map(c => c.id), ['hp.cell']);
    assert.deepEqual(hyperparameterColumns([lstm], false), []);
    // All: the schema's order (the model's fields before the optimizer's).
    assert.deepEqual(hyperparameterColumns([lstm, gru], true).map(c => c.id), ['hp.cell', 'hp.hiddenSize', 'hp.bidirectional', 'hp.learningRate']);
    // A key one run lacks differs; its kind comes from the schema.
    const cols = hyperparameterColumns([lstm, row('x', { config: { ...lstm.config, seed: 3 } })], false);
    assert.deepEqual(cols.map(c => [c.id, c.kind, c.label]), [['hp.seed', 'number', 'Seed']]);
    assert.equal(columnById('hp.cell')?.kind, 'text');
    assert.equal(columnById('best.nope'), undefined);
    assert.equal(columnById('hp.bad key'), undefined);
  });

  it('has every run column, the default metrics (best and final) and, on request, every metric', () => {
    const few = tableColumns([lstm, gru], { allHyperparameters: false, allMetrics: false }).map(c => c.id);
    assert.ok(['state', 'name', 'notes', 'dataset', 'duration', 'tokensPerSecond', 'best.exactMatch', 'final.exactMatch', 'best.loss', 'hp.cell'].every(id => few.includes(id)), few.join());
    assert.ok(!few.includes('best.chrf'));
    const all = tableColumns([lstm, gru], { allHyperparameters: false, allMetrics: true }).map(c => c.id);
    assert.ok(all.includes('best.chrf') && all.includes('final.wer'));
  });

  it('reads cell values raw and titles columns through a translation function', () => {
    assert.equal(cellValue(lstm, columnById('best.exactMatch')!), 0.9);
    assert.equal(cellValue(big, columnById('best.exactMatch')!), undefined);
    assert.equal(cellValue(gru, columnById('hp.cell')!), 'gru');
    assert.equal(cellValue(lstm, columnById('duration')!), 125);
    const format = (s: string, ...a: string[]) => s.replace(/\{(\d)\}/g, (_, i) => a[Number(i)]);
    assert.equal(columnTitle(columnById('best.exactMatch')!, (s, ...a) => format(s, ...a).toUpperCase()), 'BEST EXACT MATCH');
    assert.equal(columnTitle(columnById('final.wer')!, format, 'phoneme'), 'Final PER');
    assert.equal(columnTitle(columnById('final.wer')!, format), 'Final WER');
    assert.equal(formatDuration(125), '2 min 5 s');
    assert.equal(formatDuration(42.4), '42 s');
    assert.equal(formatDuration(7500), '2 h 5 min');
    assert.equal(formatDuration(undefined), '—');
  });

  it('sorts by any column both ways, empty cells last either way, ties in the given order', () => {
    const names = (rows: ExperimentRow[]) => rows.map(r => r.name);
    assert.deepEqual(names(sortRows([lstm, gru, big], { column: 'best.exactMatch', descending: true })), ['gru', 'lstm', 'big']);
    assert.deepEqual(names(sortRows([lstm, gru, big], { column: 'best.exactMatch', descending: false })), ['lstm', 'gru', 'big']);
    assert.deepEqual(names(sortRows([lstm, gru, big], { column: 'hp.hiddenSize', descending: true })), ['big', 'lstm', 'gru']);
    assert.deepEqual(names(sortRows([lstm, gru, big], { column: 'name', descending: false })), ['big', 'gru', 'lstm']);
    // Numeric-aware text order: run-2 before run-10.
    assert.deepEqual(names(sortRows([row('run-10'), row('run-2')], { column: 'name', descending: false })), ['run-2', 'run-10']);
    assert.deepEqual(names(sortRows([lstm, gru, big], undefined)), ['lstm', 'gru', 'big']);
    assert.deepEqual(names(sortRows([lstm, gru, big], { column: 'unknown', descending: true })), ['lstm', 'gru', 'big']);
  });

  it('parses column filters: ranges, bounds, number lists, text values; refuses nonsense with a reason', () => {
    assert.deepEqual(parseColumnFilter('0.5..0.9', 'number'), { ok: true, value: { kind: 'range', min: 0.5, max: 0.9, minInclusive: true, maxInclusive: true } });
    assert.deepEqual(parseColumnFilter('..10', 'number'), { ok: true, value: { kind: 'range', min: undefined, max: 10, minInclusive: true, maxInclusive: true } });
    assert.deepEqual(parseColumnFilter('> 90 %', 'number'), { ok: true, value: { kind: 'range', min: 90, minInclusive: false, maxInclusive: true } });
    assert.deepEqual(parseColumnFilter('64, 1e2', 'number'), { ok: true, value: { kind: 'values', values: ['64', '1e2'], numbers: [64, 100] } });
    assert.deepEqual(parseColumnFilter(' LSTM , gru ', 'text'), { ok: true, value: { kind: 'values', values: ['lstm', 'gru'] } });
    assert.deepEqual(parseColumnFilter('  ', 'number'), { ok: true, value: undefined });
    for (const bad of ['abc', '5..1', '>x', '..', '1..2..3']) assert.equal(parseColumnFilter(bad, 'number').ok, false, bad);
  });

  it('filters by column in the units shown (percent for exact match), by text, hides hidden rows and keeps starred ones on request', () => {
    const names = (f: TableFilter) => filterRows([lstm, gru, big], f).rows.map(r => r.name);
    assert.deepEqual(names(filter({ columns: { 'best.exactMatch': '>= 92' } })), ['gru']);
    assert.deepEqual(names(filter({ columns: { 'best.exactMatch': '85..92' } })), ['lstm']);
    assert.deepEqual(names(filter({ columns: { 'hp.hiddenSize': '64' } })), ['lstm', 'gru']);
    assert.deepEqual(names(filter({ columns: { 'hp.cell': 'gru' } })), ['gru']);
    assert.deepEqual(names(filter({ columns: { state: 'run' } })), ['big']);
    // An empty cell passes no filter; two filters must both hold.
    assert.deepEqual(names(filter({ columns: { 'best.loss': '<1', 'hp.cell': 'lstm' } })), ['lstm']);
    assert.deepEqual(names(filter({ text: 'hiddenSize=256' })), ['big']);
    assert.deepEqual(names(filter({ text: 'LSTM dates' })), ['lstm', 'big']);
    const bad = filterRows([lstm, gru], filter({ columns: { 'best.exactMatch': 'lots' } }));
    assert.equal(bad.rows.length, 2, 'a filter that does not parse is not applied');
    assert.match(bad.errors['best.exactMatch'], /not a number/);
    const hidden = { ...gru, hidden: true };
    assert.deepEqual(filterRows([lstm, hidden], NO_FILTER).rows.map(r => r.name), ['lstm']);
    assert.equal(filterRows([lstm, hidden], NO_FILTER).hiddenCount, 1);
    assert.deepEqual(filterRows([lstm, hidden], filter({ showHidden: true })).rows.map(r => r.name), ['lstm', 'gru']);
    assert.deepEqual(filterRows([lstm, { ...gru, starred: true }], filter({ starredOnly: true })).rows.map(r => r.name), ['gru']);
  });

  it('writes CSV per RFC 4180: quotes, commas and line breaks quoted, quotes doubled, formulas defused, raw numbers', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvField('@sum'), "'@sum");
    assert.equal(csvField(-0.5), '-0.5');
    assert.equal(csvField(undefined), '');
    assert.equal(csvField(NaN), '');
    assert.equal(csvField(true), 'true');
    const noted = { ...lstm, notes: 'tried "more", then\nless' };
    const csv = toCsv([noted, big], ['name', 'notes', 'best.exactMatch', 'hp.hiddenSize'].map(id => columnById(id)!), c => columnTitle(c, s => s.replace('{0}', '')));
    assert.equal(csv, 'Name,Notes,Best ,Hidden size\r\nlstm,"tried ""more"", then\nless",0.9,64\r\nbig,,,256\r\n');
  });

  it('validates webview messages and the saved state', () => {
    assert.deepEqual(parseExperimentsMessage({ type: 'rename', runDir: '/r/a', name: 'baseline' }), { ok: true, value: { type: 'rename', runDir: '/r/a', name: 'baseline' } });
    assert.equal(parseExperimentsMessage({ type: 'rename', runDir: '/r/a' }).ok, false);
    assert.equal(parseExperimentsMessage({ type: 'notes', runDir: '/r/a', notes: 'x'.repeat(20_001) }).ok, false);
    assert.equal(parseExperimentsMessage({ type: 'star', runDirs: [], starred: true }).ok, false);
    assert.equal(parseExperimentsMessage({ type: 'delete', runDirs: ['/r/a'], extra: 1 }).ok, false);
    assert.equal(parseExperimentsMessage({ type: 'exportCsv', runDirs: [], columns: ['name'] }).ok, true);
    assert.equal(parseExperimentsMessage({ type: 'open' }).ok, false);
    assert.equal(parseExperimentsMessage({ type: 'rm -rf' }).ok, false);
    assert.equal(parseExperimentsMessage('ready').ok, false);
    const state = parseExperimentsState({ sort: { column: 'best.bleu', descending: true }, filter: { text: 'gru', columns: { 'hp.cell': 'gru', bad: 5 } }, allMetrics: true });
    assert.deepEqual(state, { ok: true, value: { sort: { column: 'best.bleu', descending: true }, filter: { text: 'gru', columns: { 'hp.cell': 'gru' }, showHidden: false, starredOnly: false }, allHyperparameters: false, allMetrics: true } });
    assert.equal(parseExperimentsState(7).ok, false);
  });

  it('reads the annotations file, keeping the valid fields and naming the others', () => {
    assert.deepEqual(parseAnnotations({ name: 'base', notes: 'n', starred: true, hidden: false }), { annotations: { name: 'base', notes: 'n', starred: true, hidden: false }, problems: [] });
    const partly = parseAnnotations({ name: 5, starred: 'yes', notes: 'kept' });
    assert.deepEqual(partly.annotations, { notes: 'kept' });
    assert.equal(partly.problems.length, 2);
    assert.deepEqual(parseAnnotations([]).annotations, {});
  });

  it('leaves empty the metrics a run\'s shape does not have (BLEU of a classify run), whatever the engine scored', () => {
    const classify = row('classify', { config: { shape: 'classify' }, best: { exactMatch: 0.8, bleu: 0, macroF1: 0.7 }, final: { bleu: 0 } });
    assert.equal(cellValue(classify, columnById('best.exactMatch')!), 0.8);
    assert.equal(cellValue(classify, columnById('best.bleu')!), undefined);
    assert.equal(cellValue(classify, columnById('final.bleu')!), undefined);
    assert.equal(cellValue(classify, columnById('best.macroF1')!), 0.7);
    assert.equal(cellValue(row('seq', { best: { bleu: 31 } }), columnById('best.bleu')!), 31, 'seq2seq (no shape recorded) keeps BLEU');
  });
});

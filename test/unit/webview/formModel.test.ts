/** The train form's logic: the same validation as the engine, presets, dataset choice, saved state. */
import { strict as assert } from 'assert';
import { CONFIG_FIELDS, DEFAULT_CONFIG, PRESETS, checkField, fieldSpec, validateConfig } from '../../../src/shared/config';
import {
  GROUPS,
  checkValues,
  datasetError,
  fieldsOf,
  matchPreset,
  parseFormState,
  parseSweepExtras,
  wholeNumberIn,
  parseRaw,
  presetConfig,
  rawFromConfig,
} from '../../../webview/form/model';

describe('train form model', () => {
  it('every field of the schema is in exactly one group the form shows', () => {
    const shown = GROUPS.flatMap(g => fieldsOf(g).map(f => f.key));
    assert.deepEqual([...shown].sort(), CONFIG_FIELDS.map(f => f.key).sort());
  });

  it('the defaults are valid and round-trip through the raw values', () => {
    const { config, errors } = checkValues(rawFromConfig({}));
    assert.equal(errors.size, 0, [...errors.values()].join('; '));
    assert.deepEqual(config, { ...DEFAULT_CONFIG });
    assert.deepEqual(validateConfig(config).errors, []);
  });

  it('shows the engine\'s own checkField message for a bad field', () => {
    const raw = rawFromConfig({});
    raw.hiddenSize = '-1';
    raw.learningRate = 'fast';
    raw.encoderLayers = '2.5';
    raw.dropout = '';
    const { errors, config } = checkValues(raw);
    assert.equal(errors.get('hiddenSize'), checkField(fieldSpec('hiddenSize')!, -1));
    assert.equal(errors.get('learningRate'), checkField(fieldSpec('learningRate')!, NaN));
    assert.match(errors.get('encoderLayers')!, /whole number/);
    assert.match(errors.get('dropout')!, /must be a number/);
    assert.equal(config.hiddenSize, undefined, 'invalid values are left out of the config');
  });

  it('shows validateConfig\'s cross-field errors on the field they name', () => {
    const raw = rawFromConfig({ attention: 'none', inputFeeding: true, validFraction: 0.5, testFraction: 0.45 });
    const { errors } = checkValues(raw);
    assert.match(errors.get('inputFeeding')!, /needs attention/);
    assert.match(errors.get('testFraction')!, /at least 10 %/);
  });

  it('shows the sliced-encoder and adversarial settings and validates them', () => {
    assert.deepEqual(fieldsOf('model').map(f => f.key).filter(k => k.startsWith('slice') || k === 'encoderType'), ['encoderType', 'sliceCount', 'sliceLevels']);
    assert.deepEqual(fieldsOf('training').map(f => f.key).filter(k => /adversarial|Penalty/.test(k)), ['adversarial', 'adversarialEpsilon', 'gradientPenaltyWeight']);
    const raw = rawFromConfig({ encoderType: 'sliced', sliceCount: 8, sliceLevels: 4, adversarial: 'fgm' });
    raw.adversarialEpsilon = '0';
    const { errors, config } = checkValues(raw);
    assert.match(errors.get('sliceLevels')!, /sliceCount\^sliceLevels ≤ 1024 \(got 4096\)/);
    assert.match(errors.get('adversarialEpsilon')!, /between 0.0001 and 100/);
    assert.equal(config.adversarial, 'fgm');
    assert.equal(checkValues(rawFromConfig({ encoderType: 'sliced', sliceCount: 4, sliceLevels: 2, adversarial: 'penalty', gradientPenaltyWeight: 10 })).errors.size, 0);
  });

  it('parses numbers like the CLI does (exponents, spaces) and rejects text', () => {
    const lr = fieldSpec('learningRate')!;
    assert.equal(parseRaw(lr, ' 1e-3 '), 0.001);
    assert.ok(Number.isNaN(parseRaw(lr, '1e-3x') as number));
    assert.ok(Number.isNaN(parseRaw(lr, '   ') as number));
    assert.equal(parseRaw(fieldSpec('lowercase')!, true), true);
  });

  it('recognises each preset, and custom values as custom', () => {
    for (const name of Object.keys(PRESETS)) assert.equal(matchPreset(rawFromConfig(presetConfig(name))), name);
    const raw = rawFromConfig(presetConfig('britz'));
    raw.hiddenSize = '129';
    assert.equal(matchPreset(raw), '');
    raw.hiddenSize = '128.0';
    assert.equal(matchPreset(raw), 'britz', 'numbers compare by value, not text');
  });

  it('every preset is valid', () => {
    for (const name of Object.keys(PRESETS)) assert.equal(checkValues(rawFromConfig(presetConfig(name))).errors.size, 0, name);
  });

  it('needs a known task or a chosen file', () => {
    assert.equal(datasetError({ kind: 'task', task: 'dates' }, ['dates', 'reverse']), undefined);
    assert.match(datasetError({ kind: 'task', task: 'nope' }, ['dates'])!, /task/);
    assert.match(datasetError({ kind: 'task', task: 'dates' }, [])!, /No built-in tasks/);
    assert.match(datasetError({ kind: 'file', path: undefined }, ['dates'])!, /data file/);
    assert.equal(datasetError({ kind: 'file', path: '/w/a.tsv' }, []), undefined);
  });

  it('restores only well-formed saved state', () => {
    const raw = rawFromConfig({});
    assert.deepEqual(parseFormState({ raw, source: { kind: 'file', path: '/a.tsv' } }), { raw, source: { kind: 'file', path: '/a.tsv' } });
    assert.equal(parseFormState({ raw: { ...raw, lowercase: 'yes' }, source: { kind: 'task', task: 'dates' } }), undefined);
    assert.equal(parseFormState({ raw, source: { kind: 'url' } }), undefined);
    assert.equal(parseFormState(null), undefined);
    assert.equal(parseFormState({ raw: { hiddenSize: '3' }, source: { kind: 'task', task: 'x' } }), undefined, 'missing fields');
  });
});

describe('train form model: sweeps', () => {
  it('a numeric field with a list or range is swept: valid text is kept for the sweep, its first value checked', () => {
    const raw = rawFromConfig({});
    raw.hiddenSize = '32, 64';
    raw.learningRate = '1e-4 .. 1e-2, log, 3 values';
    const { config, errors, sweep } = checkValues(raw);
    assert.equal(errors.size, 0);
    assert.deepEqual(sweep, { hiddenSize: '32, 64', learningRate: '1e-4 .. 1e-2, log, 3 values' });
    assert.equal(config.hiddenSize, 32);
    assert.equal(config.learningRate, 1e-4);
    raw.hiddenSize = '32, 99999';
    assert.match(checkValues(raw).errors.get('hiddenSize')!, /between 0 and 4096/);
    assert.equal(checkValues(raw).sweep.hiddenSize, undefined);
  });

  it('more values to sweep: key = values separated by ;, each checked', () => {
    assert.deepEqual(parseSweepExtras('cell = lstm, gru; bidirectional=true,false'), { values: { cell: 'lstm, gru', bidirectional: 'true,false' } });
    assert.deepEqual(parseSweepExtras('  '), { values: {} });
    assert.match(parseSweepExtras('cell lstm').error!, /key = values/);
    assert.match(parseSweepExtras('cell = lstm, transformer').error!, /cell must be one of/);
    assert.equal(wholeNumberIn('3', 1, 100), 3);
    assert.equal(wholeNumberIn('0', 1, 100), undefined);
    assert.equal(wholeNumberIn('2.5', 1, 100), undefined);
  });

  it('saved sweep texts come back; malformed ones are left out', () => {
    const state = { raw: rawFromConfig({}), source: { kind: 'task', task: 'dates' } };
    assert.deepEqual(parseFormState({ ...state, sweep: { extras: 'cell = gru, rnn', seeds: '3', random: '0' } })!.sweep, { extras: 'cell = gru, rnn', seeds: '3', random: '0', prune: true }, 'the median rule is on unless turned off');
    assert.equal(parseFormState({ ...state, sweep: { extras: '', seeds: '1', random: '0', prune: false } })!.sweep!.prune, false);
    assert.equal(parseFormState({ ...state, sweep: { extras: 5 } })!.sweep, undefined);
  });
});

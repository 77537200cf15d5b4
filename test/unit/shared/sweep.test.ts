/** Sweep expansion: lists, linear and log ranges, grids, seeded random samples, repeated seeds, and the errors. */
import { strict as assert } from 'assert';
import { validateConfig } from '../../../src/shared/config';
import { expandFormSweep, expandSweep, isSweepText, meanStd, parseAxis, spacedValues, summarizeSweep, SweepError, SweepPlan, SweepTrialResult } from '../../../src/shared/sweep';

const plan = (axes: SweepPlan['axes'], extra: Partial<SweepPlan> = {}): SweepPlan => ({ axes, mode: 'grid', seeds: 1, baseSeed: 1, ...extra });

describe('sweep: field text', () => {
  it('a list of numbers, of choices and of on/off values', () => {
    assert.deepEqual(parseAxis('hiddenSize', '64, 128,256').values, [64, 128, 256]);
    assert.deepEqual(parseAxis('cell', 'lstm, gru').values, ['lstm', 'gru']);
    assert.deepEqual(parseAxis('bidirectional', 'true, false').values, [true, false]);
    assert.deepEqual(parseAxis('dropout', '0.1').values, [0.1]);
  });

  it('a log range: 1e-4 .. 1e-2, log, 5 values is 1e-4, 3.16e-4, 1e-3, 3.16e-3, 1e-2', () => {
    const axis = parseAxis('learningRate', '1e-4 .. 1e-2, log, 5 values');
    assert.equal(axis.kind, 'range');
    const expected = [1e-4, 10 ** -3.5, 1e-3, 10 ** -2.5, 1e-2];
    assert.equal(axis.values.length, 5);
    axis.values.forEach((v, i) => assert.ok(Math.abs((v as number) / expected[i] - 1) < 1e-9, `${v} vs ${expected[i]}`));
  });

  it('a linear range with a count, and an int range without one is every whole number', () => {
    assert.deepEqual(parseAxis('dropout', '0 .. 0.3, 4 values').values, [0, 0.1, 0.2, 0.3]);
    assert.deepEqual(parseAxis('encoderLayers', '1 .. 4').values, [1, 2, 3, 4]);
    // Rounding a log int range can meet the same whole number twice: kept once.
    assert.deepEqual(parseAxis('hiddenSize', '1 .. 4, log, 4 values').values, [1, 2, 3, 4]);
    assert.deepEqual(spacedValues(1, 2, 'log', 5, true), [1, 2]);
  });

  it('errors name the setting and what is wrong', () => {
    const fails = (key: string, text: string, pattern: RegExp) => assert.throws(() => parseAxis(key, text), (e: Error) => e instanceof SweepError && pattern.test(e.message), `${key}=${text}`);
    fails('hiddenSize', '64, 99999', /hiddenSize must be between 0 and 4096 \(got 99999\)/);
    fails('hiddenSize', '64, abc', /hiddenSize must be a number/);
    fails('encoderLayers', '1.5, 2', /whole number/);
    fails('cell', 'lstm, transformer', /cell must be one of rnn, gru, lstm, indrnn/);
    fails('cell', 'lstm .. gru', /cannot take a range/);
    fails('learningRate', '1e-2 .. 1e-4, 3 values', /smaller to a larger/);
    fails('learningRate', '1e-4 .. 1e-2', /needs ", N values"/);
    fails('learningRate', '1e-4 .. 1e-2, cubic', /a range is "A .. B"/);
    fails('learningRate', '1e-4 .. 20, log, 3 values', /between 1e-7 and 10/);
    fails('dropout', '0 .. 0.5, log, 3 values', /log range needs values above 0/);
    fails('hiddenSize', '64, 64', /64 is given twice/);
    fails('hiddenSize', '64, ', /no values/);
    fails('hidenSize', '64', /unknown setting/);
  });

  it('isSweepText tells a swept text from one value', () => {
    assert.equal(isSweepText('64'), false);
    assert.equal(isSweepText('1e-4'), false);
    assert.equal(isSweepText('64, 128'), true);
    assert.equal(isSweepText('1 .. 4'), true);
  });
});

describe('sweep: trials', () => {
  it('a grid is every combination, each a valid config', () => {
    const trials = expandSweep(plan([parseAxis('hiddenSize', '32, 64'), parseAxis('cell', 'lstm, gru, rnn')]));
    assert.equal(trials.length, 6);
    assert.deepEqual(trials.map(t => `${t.settings.hiddenSize}/${t.settings.cell}`), ['32/lstm', '32/gru', '32/rnn', '64/lstm', '64/gru', '64/rnn']);
    for (const t of trials) assert.deepEqual(validateConfig(t.settings).errors, []);
    assert.deepEqual(trials.map(t => t.group), [0, 1, 2, 3, 4, 5]);
  });

  it('repeated seeds: each setting with seeds base, base+1, … in one group', () => {
    const trials = expandSweep(plan([parseAxis('cell', 'lstm, gru')], { seeds: 3, baseSeed: 7 }));
    assert.deepEqual(trials.map(t => [t.settings.cell, t.seed, t.group]), [['lstm', 7, 0], ['lstm', 8, 0], ['lstm', 9, 0], ['gru', 7, 1], ['gru', 8, 1], ['gru', 9, 1]]);
    assert.deepEqual(trials.map(t => t.index), [0, 1, 2, 3, 4, 5]);
  });

  it('random samples: same seed, same trials; ranges drawn inside (log-uniform for log), lists from their values', () => {
    const axes = [parseAxis('learningRate', '1e-4 .. 1e-1, log, 2 values'), parseAxis('hiddenSize', '8 .. 512, log, 2 values'), parseAxis('cell', 'lstm, gru')];
    const a = expandSweep(plan(axes, { mode: 'random', samples: 400, samplingSeed: 3 }));
    const b = expandSweep(plan(axes, { mode: 'random', samples: 400, samplingSeed: 3 }));
    const c = expandSweep(plan(axes, { mode: 'random', samples: 400, samplingSeed: 4 }));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.equal(a.length, 400);
    const rates = a.map(t => t.settings.learningRate!);
    assert.ok(rates.every(r => r >= 1e-4 && r <= 1e-1));
    // Log-uniform over three decades: about a third of the draws in each decade (uniform would put 90 % in the last).
    const firstDecade = rates.filter(r => r < 1e-3).length / rates.length;
    assert.ok(firstDecade > 0.25 && firstDecade < 0.42, `share below 1e-3: ${firstDecade}`);
    assert.ok(a.every(t => Number.isInteger(t.settings.hiddenSize) && t.settings.hiddenSize! >= 8 && t.settings.hiddenSize! <= 512));
    const gru = a.filter(t => t.settings.cell === 'gru').length;
    assert.ok(gru > 150 && gru < 250, `gru draws: ${gru}`);
    for (const t of a.slice(0, 20)) assert.deepEqual(validateConfig(t.settings).errors, []);
  });

  it('plan errors: too many trials, seed swept with seeds, nothing swept', () => {
    assert.throws(() => expandSweep(plan([parseAxis('seed', '1 .. 40'), parseAxis('hiddenSize', '1 .. 40')])), /would run 1600 trials; at most 500/);
    assert.throws(() => expandSweep(plan([parseAxis('seed', '1, 2')], { seeds: 2 })), /seed cannot be swept together with repeated seeds/);
    assert.throws(() => expandSweep(plan([parseAxis('hiddenSize', '64')])), /nothing is swept/);
    assert.throws(() => expandSweep(plan([parseAxis('cell', 'gru')], { seeds: 0 })), /seeds must be a whole number from 1 to 100/);
    assert.throws(() => expandSweep(plan([parseAxis('cell', 'gru, rnn')], { mode: 'random', samples: 0 })), /random samples must be/);
    // One value and seeds: 3 is a seed study, allowed.
    assert.equal(expandSweep(plan([parseAxis('cell', 'gru')], { seeds: 3 })).length, 3);
  });

  it('meanStd: sample standard deviation, non-finite values left out', () => {
    assert.deepEqual(meanStd([2, 4, 4, 4, 5, 5, 7, 9]), { mean: 5, std: Math.sqrt(32 / 7), n: 8 });
    assert.deepEqual(meanStd([3, NaN]), { mean: 3, std: 0, n: 1 });
    assert.equal(meanStd([]), undefined);
  });
});

describe('sweep: summary', () => {
  it('mean ± std per setting over its completed seeds; pruned and failed trials left out; best in the metric\'s direction', () => {
    const trial = (index: number, group: number, cell: string, state: SweepTrialResult['state'], metric?: number): SweepTrialResult =>
      ({ index, group, seed: index, settings: { cell: cell as 'gru', seed: index }, state, metric });
    const trials = [trial(0, 0, 'gru', 'completed', 1.0), trial(1, 0, 'gru', 'completed', 2.0), trial(2, 0, 'gru', 'pruned', 9),
      trial(3, 1, 'rnn', 'completed', 1.2), trial(4, 1, 'rnn', 'failed'), trial(5, 2, 'lstm', 'pruned', 0.1)];
    const loss = summarizeSweep('loss', trials);
    assert.deepEqual(loss.groups.map(g => [g.settings, g.trials, g.completed, g.mean, g.std]), [
      [{ cell: 'gru' }, 3, 2, 1.5, Math.SQRT1_2], [{ cell: 'rnn' }, 2, 1, 1.2, 0], [{ cell: 'lstm' }, 1, 0, undefined, undefined]]);
    assert.deepEqual(loss.best!.settings, { cell: 'rnn' });
    assert.equal(loss.lowerIsBetter, true);
    assert.deepEqual(summarizeSweep('exactMatch', trials).best!.settings, { cell: 'gru' });
  });
});

describe('sweep: from the form', () => {
  it('expands the values over the form\'s settings; each trial config valid', () => {
    const { trials, errors } = expandFormSweep({ seed: 5, hiddenSize: 32 }, { values: { cell: 'lstm, gru', learningRate: '1e-3 .. 1e-2, log, 2 values' }, seeds: 2, random: 0 });
    assert.deepEqual(errors, []);
    assert.equal(trials.length, 8);
    assert.deepEqual(trials.slice(0, 2).map(t => t.settings), [{ cell: 'lstm', learningRate: 1e-3, seed: 5 }, { cell: 'lstm', learningRate: 1e-3, seed: 6 }]);
    assert.equal(expandFormSweep({}, { values: { cell: 'lstm, gru, rnn' }, seeds: 1, random: 2 }).trials.length, 2);
  });

  it('errors keyed by setting, a plan error under \'\', and a trial that breaks a cross-field rule', () => {
    assert.deepEqual(expandFormSweep({}, { values: { hiddenSize: '8, -1' }, seeds: 1, random: 0 }).errors, [{ key: 'hiddenSize', message: 'hiddenSize must be between 0 and 4096 (got -1)' }]);
    assert.deepEqual(expandFormSweep({}, { values: { hiddenSize: '8' }, seeds: 1, random: 0 }).errors.map(e => e.key), ['']);
    const crossField = expandFormSweep({ inputFeeding: true }, { values: { attention: 'additive, none' }, seeds: 1, random: 0 });
    assert.equal(crossField.trials.length, 0);
    assert.deepEqual(crossField.errors.map(e => e.key), ['inputFeeding']);
    assert.match(crossField.errors[0].message, /^trial 2 \(\{"attention":"none","seed":1\}\): inputFeeding needs attention/);
  });
});

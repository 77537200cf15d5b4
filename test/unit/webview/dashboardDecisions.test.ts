/**
 * The dashboard's Decisions section and PER labels, free of the DOM: what the section says for
 * a run's decisions (webview/common/decisions.ts), where RunData takes them from (a live
 * `start` event, else the run directory's info), and how the host validates config.json's
 * `decisions` and finds the target unit before it sends them (src/extension/runs/runInfo.ts).
 */
import { strict as assert } from 'assert';
import { DEFAULT_CONFIG } from '../../../src/shared/config';
import type { TokenizerDecision } from '../../../src/shared/dataCard';
import type { ProgressEvent, RunDecisions } from '../../../src/shared/protocol';
import { parseRunDecisions, runInfoOf } from '../../../src/extension/runs/runInfo';
import { DECISION_ROWS, decisionsView } from '../../../webview/common/decisions';
import { useL10nBundle } from '../../../webview/common/l10n';
import { CHARTS, RunData, seriesLabel } from '../../../webview/dashboard/series';

const figures = { alphabetSize: 2345, meanChars: 41.25, meanWords: 8, wordOovRate: 0.123, hanShare: 0, wordTypes: 12000 };
const source: TokenizerDecision = { tokenizer: 'subword', auto: true, reason: 'natural-language text: BPE pieces', figures, subwordVocabSize: 2000 };
const target: TokenizerDecision = { tokenizer: 'char', auto: false, reason: 'set in the configuration', figures: { ...figures, wordOovRate: 0.0001 } };
const decisions: RunDecisions = {
  settings: [
    { key: 'batchSize', value: 32, reason: '2,000–20,000 pairs' },
    { key: 'epochs', value: 40000, reason: 'until early stopping or about 40,000 updates' },
  ],
  sourceTokenizer: source,
  targetTokenizer: target,
};
const start = (extra: Partial<Extract<ProgressEvent, { kind: 'start' }>> = {}): ProgressEvent => ({
  kind: 'start', runDir: '/r', backend: 'cpu', config: { ...DEFAULT_CONFIG }, trainPairs: 90, validPairs: 5, testPairs: 5, stepsPerEpoch: 10, totalSteps: 20, startStep: 0, ...extra,
});
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('dashboard decisions: what the section says', () => {
  it('per side: the tokenizer with (auto) when auto chose it, the reason and the key figures', () => {
    const view = decisionsView(decisions);
    const rows = Object.fromEntries(view.sides.map(r => [r.label, [r.source, r.target]]));
    assert.deepEqual(rows.Tokenizer, ['subword (auto, 2,000 pieces)', 'char']);
    assert.deepEqual(rows.Why, ['natural-language text: BPE pieces', 'set in the configuration']);
    assert.deepEqual(rows.Alphabet, ['2,345', '2,345']);
    assert.deepEqual(rows['Mean length'], ['41.3 chars · 8.0 words', '41.3 chars · 8.0 words']);
    assert.deepEqual(rows['Word OOV rate'], ['12.3 %', '< 0.1 %']);
    assert.deepEqual(rows['Han share'], ['0.0 %', '0.0 %']);
    assert.deepEqual(rows['Word types'], ['12,000', '12,000']);
    assert.deepEqual(view.sides.map(r => r.label), DECISION_ROWS.map(([label]) => label), 'every decision row, in order');
  });

  it('each auto setting: its field label, the value it became and the engine\'s reason', () => {
    assert.deepEqual(decisionsView(decisions).settings, [
      { key: 'batchSize', label: 'Batch size', value: '32', reason: '2,000–20,000 pairs' },
      { key: 'epochs', label: 'Epochs', value: '40,000', reason: 'until early stopping or about 40,000 updates' },
    ]);
  });

  it('a figure an older engine did not measure reads "—"', () => {
    const view = decisionsView({ ...decisions, sourceTokenizer: { ...source, figures: { ...figures, wordTypes: NaN } } });
    assert.equal(view.sides.find(r => r.label === 'Word types')?.source, '—');
  });

  it('labels are translated, the engine\'s reasons are not', () => {
    useL10nBundle({ Tokenizer: '分词器', 'Batch size': '批大小', '{0} (auto, {1})': '{0}（自动，{1}）', '{0} pieces': '{0} 个子词' });
    try {
      const view = decisionsView(decisions);
      assert.equal(view.sides[0].label, '分词器');
      assert.equal(view.sides[0].source, 'subword（自动，2,000 个子词）');
      assert.equal(view.settings[0].label, '批大小');
      assert.equal(view.settings[0].reason, '2,000–20,000 pairs');
    } finally {
      useL10nBundle({});
    }
  });
});

describe('dashboard decisions: where RunData takes them from', () => {
  it('a live run: from its start event; a reopened run: from the run directory; a start event wins', () => {
    const live = new RunData();
    assert.equal(live.decisions, undefined);
    live.add(start({ decisions, targetUnit: 'phoneme' }));
    assert.equal(live.decisions, decisions);
    assert.equal(live.targetUnit, 'phoneme');

    const reopened = new RunData({ decisions, targetUnit: 'phoneme' });
    assert.equal(reopened.decisions, decisions);
    assert.equal(reopened.targetUnit, 'phoneme');

    const other = clone(decisions);
    const resumed = new RunData({ decisions: other, targetUnit: 'word' });
    resumed.add(start({ decisions, targetUnit: 'phoneme' }));
    assert.equal(resumed.decisions, decisions);
    assert.equal(resumed.targetUnit, 'phoneme');
  });

  it('an older run says nothing: no decisions, words', () => {
    const old = new RunData();
    old.add(start());
    assert.equal(old.decisions, undefined);
    assert.equal(old.targetUnit, 'word');
  });

  it('the error-rate legend says PER for phoneme targets and WER otherwise; other series keep their labels', () => {
    const errorRate = CHARTS.find(c => c.id === 'errorRate')!;
    assert.deepEqual(errorRate.series.map(s => seriesLabel(s, 'phoneme')), ['CER', 'PER']);
    assert.deepEqual(errorRate.series.map(s => seriesLabel(s, 'word')), ['CER', 'WER']);
    const loss = CHARTS.find(c => c.id === 'loss')!;
    assert.deepEqual(loss.series.map(s => seriesLabel(s, 'phoneme')), ['Train loss', 'Valid loss']);
  });
});

describe('dashboard history payload: config.json decisions checked as untrusted JSON', () => {
  it('accepts what the engine writes, as a copy without unknown fields', () => {
    const written = { ...clone(decisions), extra: 'x', sourceTokenizer: { ...clone(source), extra: 1 } };
    const parsed = parseRunDecisions(written);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    assert.deepEqual(parsed.value, decisions);
  });

  it('missing figures (an older engine) become NaN, shown as —', () => {
    const { wordTypes: _, ...older } = figures;
    const parsed = parseRunDecisions({ ...clone(decisions), targetTokenizer: { ...target, figures: older } });
    assert.ok(parsed.ok);
    assert.ok(Number.isNaN(parsed.value.targetTokenizer.figures.wordTypes));
  });

  const bad: Array<[string, (d: Record<string, any>) => unknown, RegExp]> = [
    ['not an object', () => 'decisions', /must be an object/],
    ['an array', () => [], /must be an object/],
    ['settings not an array', d => ({ ...d, settings: {} }), /settings must be an array/],
    ['a setting without a known key', d => ({ ...d, settings: [{ key: '__proto__', value: 1, reason: 'r' }] }), /settings\[0\]\.key/],
    ['a setting whose value is an object', d => ({ ...d, settings: [{ key: 'batchSize', value: { evil: true }, reason: 'r' }] }), /settings\[0\]\.value/],
    ['a setting whose value is not finite', d => ({ ...d, settings: [{ key: 'batchSize', value: null, reason: 'r' }] }), /settings\[0\]\.value/],
    ['a setting without a reason', d => ({ ...d, settings: [{ key: 'batchSize', value: 1 }] }), /settings\[0\]\.reason/],
    ['too many settings', d => ({ ...d, settings: Array.from({ length: 201 }, () => d.settings[0]) }), /too many/],
    ['an unknown tokenizer', d => ({ ...d, sourceTokenizer: { ...d.sourceTokenizer, tokenizer: 'bpe<script>' } }), /sourceTokenizer\.tokenizer/],
    ['auto not a boolean', d => ({ ...d, targetTokenizer: { ...d.targetTokenizer, auto: 'yes' } }), /targetTokenizer\.auto/],
    ['a reason too long', d => ({ ...d, targetTokenizer: { ...d.targetTokenizer, reason: 'x'.repeat(5000) } }), /targetTokenizer\.reason/],
    ['no figures', d => ({ ...d, targetTokenizer: { ...d.targetTokenizer, figures: null } }), /targetTokenizer\.figures/],
    ['a figure that is a string', d => ({ ...d, sourceTokenizer: { ...d.sourceTokenizer, figures: { ...figures, hanShare: '0.5' } } }), /figures\.hanShare/],
    ['a side missing', d => ({ settings: d.settings, sourceTokenizer: d.sourceTokenizer }), /targetTokenizer must be an object/],
    ['a fractional subword size', d => ({ ...d, sourceTokenizer: { ...d.sourceTokenizer, subwordVocabSize: 1.5 } }), /subwordVocabSize/],
  ];
  for (const [what, damage, reason] of bad) {
    it(`refuses ${what}, with a reason`, () => {
      const parsed = parseRunDecisions(damage(clone(decisions) as unknown as Record<string, any>));
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, reason);
    });
  }

  it('the run info: decisions when valid, the target unit from result.json, else phoneme for g2p', () => {
    assert.deepEqual(runInfoOf({ config: {}, data: { task: 'dates' }, decisions }, { targetUnit: 'word' }), { decisions, targetUnit: 'word' });
    assert.deepEqual(runInfoOf({ data: { task: 'g2p' } }, undefined), { targetUnit: 'phoneme' });
    assert.deepEqual(runInfoOf({ data: { task: 'g2p' } }, { targetUnit: 'bogus' }), { targetUnit: 'phoneme' });
    assert.deepEqual(runInfoOf({ data: { dataPath: '/d.tsv' } }, { targetUnit: 'phoneme' }), { targetUnit: 'phoneme' });
    assert.deepEqual(runInfoOf(undefined, undefined), {}, 'a run that has written nothing yet');
    assert.deepEqual(runInfoOf('garbage', 42), {});
  });

  it('damaged decisions are left out and reported; an older run without them is no problem', () => {
    const problems: string[] = [];
    assert.deepEqual(runInfoOf({ decisions: { settings: 'x' } }, undefined, p => problems.push(p)), {});
    assert.deepEqual(problems, ['config.json: decisions.settings must be an array']);
    runInfoOf({ config: {} }, undefined, p => problems.push(p));
    assert.equal(problems.length, 1);
  });
});

/**
 * The train form's dataset card without a DOM: which settings it depends on, when it is asked
 * for (at once for a new file, debounced for typed settings, stale answers ignored, cancelled
 * when no longer wanted) and what it shows (rows, warnings in English and in zh-CN).
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { config } from '@vscode/l10n';
import { DATA_WARNINGS } from '../../../src/shared/dataCard';
import { percent } from '../../../webview/common/decisions';
import { useL10nBundle } from '../../../webview/common/l10n';
import {
  CARD_DEBOUNCE_MS, CARD_SETTING_KEYS, CardRequester, cardRequest, cardSettingsValid, cardView, warningText, type CardState,
} from '../../../webview/form/dataCard';
import { checkValues, rawFromConfig } from '../../../webview/form/model';
import { sampleCard } from './dataCardFixture';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** A requester whose timers are run by hand. */
function harness() {
  const sent: unknown[] = [];
  const states: CardState[] = [];
  const timers: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  const requester = new CardRequester({
    send: m => sent.push(m),
    schedule: (fn, ms) => {
      const timer = { fn, ms, cleared: false };
      timers.push(timer);
      return () => void (timer.cleared = true);
    },
    onState: s => states.push(s),
  });
  const flush = () => timers.filter(t => !t.cleared).forEach(t => ((t.cleared = true), t.fn()));
  return { requester, sent, states, timers, flush };
}

const file = (p: string) => ({ kind: 'file' as const, path: p });

describe('dataset card: requests', () => {
  it('depends on the data settings and the seed, not on the model or training settings', () => {
    for (const key of ['sourceTokenizer', 'targetTokenizer', 'subwordVocabSize', 'maxSourceLength', 'maxTargetLength', 'validFraction', 'seed'] as const) {
      assert.ok(CARD_SETTING_KEYS.includes(key), key);
    }
    for (const key of ['hiddenSize', 'learningRate', 'taskSize', 'beamSize'] as const) assert.ok(!CARD_SETTING_KEYS.includes(key), key);
    const { config: full } = checkValues(rawFromConfig({ hiddenSize: 99, maxSourceLength: 40 }));
    const request = cardRequest(file('/w/a.tsv'), full)!;
    assert.equal(request.dataPath, '/w/a.tsv');
    assert.equal(request.config.maxSourceLength, 40);
    assert.equal(request.config.hiddenSize, undefined);
    assert.equal(cardRequest({ kind: 'task', task: 'dates' }, full), undefined, 'built-in tasks have no card here');
    assert.equal(cardRequest({ kind: 'file', path: undefined }, full), undefined);
  });

  it('holds the card while a data setting is invalid', () => {
    const raw = rawFromConfig({});
    assert.equal(cardSettingsValid(checkValues(raw)), true);
    raw.maxSourceLength = '';
    assert.equal(cardSettingsValid(checkValues(raw)), false);
    raw.maxSourceLength = '50';
    raw.hiddenSize = 'x';
    assert.equal(cardSettingsValid(checkValues(raw)), true, 'a bad model field does not hold the card');
  });

  it('asks at once for a chosen file, debounces typed settings and sends only the last of a burst', () => {
    const h = harness();
    h.requester.update({ dataPath: '/w/a.tsv', config: { maxSourceLength: 50 } }, true);
    assert.deepEqual(h.sent, [{ type: 'inspect', requestId: 1, config: { maxSourceLength: 50 }, dataPath: '/w/a.tsv' }]);
    assert.equal(h.states.at(-1)?.kind, 'loading');
    h.requester.update({ dataPath: '/w/a.tsv', config: { maxSourceLength: 50 } }, false);
    assert.equal(h.timers.length, 0, 'the same request is not asked again');
    for (const n of [5, 55, 555]) h.requester.update({ dataPath: '/w/a.tsv', config: { maxSourceLength: n } }, false);
    assert.equal(h.sent.length, 1, 'nothing sent before the debounce');
    assert.equal(h.timers.at(-1)?.ms, CARD_DEBOUNCE_MS);
    h.flush();
    assert.deepEqual(h.sent.slice(1), [{ type: 'inspect', requestId: 2, config: { maxSourceLength: 555 }, dataPath: '/w/a.tsv' }]);
  });

  it('ignores a stale answer and shows the latest one', () => {
    const h = harness();
    const card = sampleCard();
    h.requester.update({ dataPath: '/w/a.tsv', config: {} }, true);
    h.requester.update({ dataPath: '/w/b.tsv', config: {} }, true);
    assert.equal(h.requester.receive({ type: 'dataCard', requestId: 1, card }), false, 'request 1 was superseded');
    assert.equal(h.requester.current.kind, 'loading');
    assert.equal(h.requester.receive({ type: 'dataCardFailed', requestId: 2, message: 'no such file' }), true);
    assert.deepEqual(h.requester.current, { kind: 'failed', message: 'no such file' });
    h.requester.update({ dataPath: '/w/c.tsv', config: {} }, true);
    assert.equal(h.requester.receive({ type: 'dataCard', requestId: 3, card }), true);
    assert.deepEqual(h.requester.current, { kind: 'ready', card });
    // A setting edit keeps the card on screen (dimmed) while the new one is being made.
    h.requester.update({ dataPath: '/w/c.tsv', config: { lowercase: true } }, false);
    assert.deepEqual(h.requester.current, { kind: 'loading', previous: card });
    assert.equal(h.requester.receive({ type: 'dataCard', requestId: 3, card }), false, 'an answer while a newer request is pending is stale');
  });

  it('cancels the request in flight when the card is no longer wanted', () => {
    const h = harness();
    h.requester.update({ dataPath: '/w/a.tsv', config: {} }, true);
    h.requester.update(undefined, false);
    assert.deepEqual(h.sent.at(-1), { type: 'cancelInspect' });
    assert.deepEqual(h.requester.current, { kind: 'none' });
    assert.equal(h.requester.receive({ type: 'dataCard', requestId: 1, card: sampleCard() }), false);
    h.requester.update({ dataPath: '/w/a.tsv', config: {} }, false);
    h.requester.update(undefined, false);
    assert.equal(h.sent.length, 2, 'nothing to cancel when only a timer was pending');
    assert.ok(h.timers.every(t => t.cleared));
  });
});

describe('dataset card: what it shows', () => {
  it('shows pairs, bad lines with line numbers, duplicates, splits and both sides', () => {
    const view = cardView(sampleCard());
    const overview = Object.fromEntries(view.overview.map(r => [r.label, r.value]));
    assert.deepEqual(overview, {
      Pairs: '1,200 in 1,203 lines (1,196 usable)',
      'Bad lines': '3',
      Duplicates: '4',
      'Ambiguous sources': '1',
      Split: '1,000 train · 98 validation · 98 test',
    });
    assert.deepEqual(view.badLines, ['line 7: no tab', 'line 30: empty target']);
    // The shape `auto` decided, when the card says (cards before the shapes do not).
    const shaped = cardView({ ...sampleCard(), shape: { shape: 'classify', auto: true, reason: 'one label per line' } });
    assert.deepEqual(shaped.overview.at(-1), { label: 'Shape', value: 'classify (auto: one label per line)' });
    assert.deepEqual(cardView({ ...sampleCard(), shape: { shape: 'tag', auto: false, reason: 'set' } }).overview.at(-1), { label: 'Shape', value: 'tag' });
    assert.equal(view.moreBadLines, 1);
    const sides = Object.fromEntries(view.sides.map(r => [r.label, [r.source, r.target]]));
    assert.deepEqual(sides.Tokenizer, ['char (auto)', 'subword (auto, 2,000 pieces)']);
    assert.deepEqual(sides.Why, ['short texts over a small alphabet (38 characters): one token per character', 'long words, many unseen: BPE pieces']);
    assert.deepEqual(sides['Tokens p50 / p90 / p99 / max'], ['11 / 16 / 19 / 21', '11 / 16 / 19 / 21']);
    assert.deepEqual(sides['Mean length'], ['11.3 chars · 3.0 words', '11.3 chars · 3.0 words']);
    assert.deepEqual(sides['Word OOV rate'], ['42.0 %', '42.0 %']);
    assert.deepEqual(sides.Vocabulary, ['41', '2,000']);
    assert.deepEqual(sides['Unseen tokens (valid / test)'], ['< 0.1 % / 0.0 %', '< 0.1 % / 0.0 %']);
    assert.deepEqual(sides['Over the length limit'], ['2 (limit 20)', '2 (limit 20)']);
    assert.deepEqual(view.autoSettings, [{ label: 'Hidden size', value: '128 — 1,000 training pairs' }]);
    assert.deepEqual(view.warnings.map(w => w.id), ['badLines', 'duplicates']);
    assert.equal(view.warnings[0].text, sampleCard().warnings[0].message, 'the filled template is the engine\'s English text');
  });

  it('a warning the form does not know keeps the engine\'s text; missing figures read —', () => {
    assert.equal(warningText({ id: 'fromTheFuture' as never, args: [1], message: 'something new' }), 'something new');
    assert.equal(warningText({ id: 'constructor' as never, args: [], message: 'not a template' }), 'not a template');
    assert.equal(percent(undefined), '—');
    assert.equal(percent(NaN), '—');
    assert.equal(percent(0.5), '50.0 %');
  });

  describe('in zh-CN', () => {
    const zhCn = JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
    before(() => useL10nBundle(zhCn));
    after(() => config({ contents: {} }));

    it('every DATA_WARNINGS template is translated, its arguments filled in', () => {
      for (const [id, template] of Object.entries(DATA_WARNINGS)) {
        const args = (template.match(/\{\d+\}/g) ?? []).map((_, i) => `«${i}»`);
        const text = warningText({ id: id as keyof typeof DATA_WARNINGS, args, message: 'English' });
        assert.notEqual(text, template, `${id} is translated`);
        for (const arg of args) assert.ok(text.includes(arg), `${id} keeps ${arg}: ${text}`);
        assert.match(text, /[\u4e00-\u9fff]/, `${id} reads Chinese`);
      }
    });

    it('the card\'s labels read Chinese', () => {
      const view = cardView(sampleCard());
      for (const row of [...view.overview, ...view.sides]) assert.match(row.label, /[\u4e00-\u9fff]/, row.label);
      assert.match(view.warnings[1].text, /^4 /);
    });
  });
});

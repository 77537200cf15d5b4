/**
 * 1,000 random or malformed messages to each webview handler of the host (train form,
 * dashboard, attention): each one is rejected with a logged reason (or, for a well-formed form
 * `start` with impossible settings, answered with `startRejected`), nothing throws, no run
 * starts, no file dialog opens and the panel posts nothing it would not have posted anyway.
 * A valid `ready` afterwards still gets its normal answer: the panel is alive and unchanged.
 *
 * The panels are the real classes; only the `vscode` module under them is a small stand-in
 * (a fake WebviewPanel that records what the host posts), so this runs under plain mocha.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ProgressEvent, Translation } from '../../../../src/shared/protocol';
import { seededRandom } from '../../../../src/shared/sweep';
import { createFakeVscode, FakeEventEmitter as EventEmitter, fakePanel, installFakeVscode, type FakePanel } from '../fakeVscode';

/** Waits until the panel has posted `count` messages (the dashboard reads the run directory before its history). */
async function postedCount(fake: FakePanel, count: number): Promise<void> {
  for (let i = 0; i < 200 && fake.posted.length < count; i++) await new Promise(resolve => setTimeout(resolve, 5));
}


const { api: fakeVscode, created } = createFakeVscode();

/** Deterministic PRNG (mulberry32) so a failure can be reproduced. */
const rng = seededRandom;

function randomValue(random: () => number, depth = 0): unknown {
  const pick = Math.floor(random() * (depth > 2 ? 7 : 9));
  switch (pick) {
    case 0: return null;
    case 1: return undefined;
    case 2: return random() < 0.5;
    case 3: return [NaN, Infinity, -0, 1e308, Math.floor(random() * 1000) - 500][Math.floor(random() * 5)];
    case 4: return ['', 'ready', 'start', '\u0000', '💥'.repeat(3), 'x'.repeat(5000), '__proto__'][Math.floor(random() * 7)];
    case 5: return 'a'.repeat(Math.floor(random() * 50));
    case 6: return Math.floor(random() * 100);
    case 7: return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 4); i > 0; i--) object[['type', 'message', 'config', 'task', 'dataPath', 'x'][Math.floor(random() * 6)]] = randomValue(random, depth + 1);
      return object;
    }
  }
}

/** Something that is not a valid message for a panel accepting `validTypes`. */
function malformed(random: () => number, validTypes: readonly string[], form: boolean): unknown {
  const type = validTypes[Math.floor(random() * validTypes.length)];
  const kind = Math.floor(random() * (form ? 10 : 7));
  switch (kind) {
    case 0: // not an object at all
      return [null, undefined, 42, 'ready', true, [], [{ type: 'ready' }]][Math.floor(random() * 7)];
    case 1: { // no string type
      const value = randomValue(random);
      return { type: typeof value === 'string' ? 1 : value, message: 'x' };
    }
    case 2: // an unknown type
      return { type: ['Ready', 'READY', 'start ', 'history', 'init', 'translation', '', 'x'.repeat(10_000)][Math.floor(random() * 8)] };
    case 3: // a valid type with an extra field
      return { type, [['extra', 'runDir', 'events', '0'][Math.floor(random() * 4)]]: randomValue(random) };
    case 4: // error with a message that is not a short string
      return { type: 'error', message: [undefined, null, 5, {}, ['x'], 'x'.repeat(4097)][Math.floor(random() * 6)] };
    case 5: // prototype pollution attempt, as a webview's JSON would carry it
      return JSON.parse(`{"type":"${type}","__proto__":{"polluted":true}}`);
    case 6: { // random junk object whose type is never a valid one
      const object = randomValue(random, 3) as Record<string, unknown>;
      return object !== null && typeof object === 'object' && !Array.isArray(object) ? { ...object, type: `not-${type}` } : { type: 7 };
    }
    case 7: // start whose config is not a flat object of scalars
      return { type: 'start', task: 'dates', config: [null, 'x', [1], { a: { b: 1 } }, { hiddenSize: 'y'.repeat(300) }, { n: null }][Math.floor(random() * 6)] };
    case 8: // start with neither or both datasets, or wrong types
      return [{ type: 'start', config: {} }, { type: 'start', config: {}, task: 'dates', dataPath: '/x.tsv' }, { type: 'start', config: {}, task: 5 }, { type: 'start', config: {}, dataPath: '' }][Math.floor(random() * 4)];
    default: { // well-formed start or queue with impossible settings, an unknown task or a sweep that cannot expand: the host's own check refuses it
      const type = random() < 0.5 ? 'start' : 'queue';
      const pick = random();
      if (pick < 0.3) return { type, task: 'dates', config: { hiddenSize: -Math.floor(random() * 100) - 1 } };
      if (pick < 0.6) return { type, task: `no-such-task-${Math.floor(random() * 100)}`, config: {} };
      return { type: 'queue', task: 'dates', config: {}, sweep: { values: { hiddenSize: ['8', '8, 99999', '1 .. 2, cubic'][Math.floor(random() * 3)] }, seeds: 1, random: 0 } };
    }
  }
}

/** Dataset card requests with a field of the wrong type, or without exactly one dataset. */
function inspectMalformed(random: () => number): unknown {
  const cases: unknown[] = [
    { type: 'inspect', config: {}, dataPath: '/w/a.tsv' },
    { type: 'inspect', requestId: -1, config: {}, dataPath: '/w/a.tsv' },
    { type: 'inspect', requestId: 1.5, config: {}, dataPath: '/w/a.tsv' },
    { type: 'inspect', requestId: '1', config: {}, dataPath: '/w/a.tsv' },
    { type: 'inspect', requestId: 1, config: {} },
    { type: 'inspect', requestId: 1, config: { maxSourceLength: [50] }, dataPath: '/w/a.tsv' },
    { type: 'inspect', requestId: 1, dataPath: '/w/a.tsv' },
    { type: 'inspect', requestId: 1, config: {}, dataPath: 'x'.repeat(5000) },
    { type: 'cancelInspect', requestId: 1 },
  ];
  return cases[Math.floor(random() * cases.length)];
}

/** Attention requests with a field of the wrong type or out of range. */
function attentionMalformed(random: () => number): unknown {
  const ref = { kind: 'item', id: 'a' };
  const cases: unknown[] = [
    { type: 'translate', text: 5, beamSize: 1 },
    { type: 'translate', text: 'abc', beamSize: 'wide' },
    { type: 'translate', text: 'abc' },
    { type: 'translate', text: 'x'.repeat(100_000), beamSize: 1 },
    { type: 'whatIf', ref: null, position: 0, token: 'a' },
    { type: 'whatIf', ref, position: 'first', token: 'a' },
    { type: 'whatIf', ref, position: 0, token: 7 },
    { type: 'highlightRow', ref: 'a', row: 0 },
    { type: 'highlightRow', ref, row: '0' },
    { type: 'export', format: 'gif', data: '', name: 'map.gif' },
    { type: 'export', format: 'json', data: 42, name: 'map.json' },
    { type: 'export', format: 'json', data: '{}', name: null },
  ];
  return cases[Math.floor(random() * cases.length)];
}

const COUNT = 1000;

describe('webview handlers under 1,000 malformed messages each', () => {
  let uninstall: () => void;
  let panels: typeof import('../../../../src/extension/panels');
  const warnings: string[] = [];
  const errors: string[] = [];
  const extensionUri = { path: '/ext', toString: () => '/ext' };
  const training = { onDidStart: new EventEmitter().event, onDidProgress: new EventEmitter().event, onDidEnd: new EventEmitter().event, activeRunDir: undefined, history: async () => [] };
  let context: import('../../../../src/extension/panels').PanelContext;

  before(() => {
    uninstall = installFakeVscode(fakeVscode);
    panels = require('../../../../src/extension/panels');
    panels.setPanelLog({ warn: message => warnings.push(message), error: message => errors.push(message) });
    context = { extensionUri: extensionUri as never, training: training as never, attention: new panels.AttentionStore(), models: { current: async () => undefined }, engine: {} as never, runs: {} as never, queue: {} as never };
  });
  after(() => {
    panels.setPanelLog(undefined);
    uninstall();
  });
  beforeEach(() => {
    warnings.length = 0;
    errors.length = 0;
  });

  it('train form: every message rejected, no run started, no dialog, still answers ready', async () => {
    const random = rng(1);
    let starts = 0;
    let dialogs = 0;
    let inspects = 0;
    panels.TrainFormPanel.createOrShow(context, {
      tasks: [{ name: 'dates', description: 'dates' }] as never,
      initial: {},
      onStart: () => void starts++,
      onQueue: async () => ++starts,
      pickDataFile: async () => void dialogs++ as undefined,
      inspect: async () => {
        inspects++;
        return undefined as never;
      },
    });
    const fake = created[created.length - 1];
    for (let i = 0; i < COUNT; i++) await fake.send(i % 5 === 4 ? inspectMalformed(random) : malformed(random, ['ready', 'pickDataFile', 'start', 'inspect', 'cancelInspect', 'error'], true));
    const rejectedByHost = fake.posted.filter(m => (m as { type: string }).type === 'startRejected').length;
    console.log(`      train form: ${COUNT} messages → ${warnings.length} rejected with a logged reason (${COUNT - rejectedByHost} invalid, ${rejectedByHost} well-formed starts refused by the host's config check), ${starts} runs started, ${errors.length} errors`);
    assert.equal(warnings.length, COUNT, 'each message is rejected with a reason');
    assert.ok(rejectedByHost > 0 && rejectedByHost < COUNT, 'both kinds of rejection were exercised');
    assert.equal(fake.posted.length, rejectedByHost, 'nothing but startRejected was posted');
    assert.equal(starts, 0);
    assert.equal(dialogs, 0);
    assert.equal(inspects, 0, 'no malformed inspect reached the engine');
    assert.equal(errors.length, 0);
    assert.equal(fake.disposed, false);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was changed');
    await fake.send({ type: 'ready' });
    assert.equal((fake.posted[fake.posted.length - 1] as { type: string }).type, 'init');
    (fake.panel as { dispose(): void }).dispose();
  });

  it('dashboard: every message rejected, nothing posted, still answers ready with its history', async () => {
    const random = rng(2);
    const fake = fakePanel();
    const history: ProgressEvent[] = [{ kind: 'log', level: 'info', message: 'hello' }];
    panels.DashboardPanel.revive(fake.panel as never, context, '/runs/a', history);
    for (let i = 0; i < COUNT; i++) fake.send(malformed(random, ['ready', 'error'], false));
    console.log(`      dashboard: ${COUNT} messages → ${warnings.length} dropped as invalid, ${fake.posted.length} posted, ${errors.length} errors`);
    assert.equal(warnings.length, COUNT);
    assert.equal(fake.posted.length, 0, 'an invalid message never counts as ready');
    assert.equal(errors.length, 0);
    assert.equal(fake.disposed, false);
    fake.send({ type: 'ready' });
    await postedCount(fake, 1);
    assert.deepEqual(fake.posted, [{ type: 'history', runDir: '/runs/a', events: history, run: {} }]);
    (fake.panel as { dispose(): void }).dispose();
  });

  it('dashboard: the history carries the run directory\'s decisions and target unit; damaged decisions are left out with a warning', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-run-'));
    try {
      const decision = { tokenizer: 'word', auto: true, reason: 'a closed vocabulary', figures: { alphabetSize: 30, meanChars: 7, meanWords: 1, wordOovRate: 0, hanShare: 0, wordTypes: 40 } };
      const decisions = { settings: [{ key: 'batchSize', value: 16, reason: 'fewer than 2,000 pairs' }], sourceTokenizer: { ...decision, tokenizer: 'char' }, targetTokenizer: decision };
      fs.writeFileSync(path.join(root, 'config.json'), JSON.stringify({ config: {}, data: { task: 'g2p' }, engineVersion: '1', decisions }));
      const fake = fakePanel();
      panels.DashboardPanel.revive(fake.panel as never, context, root, []);
      fake.send({ type: 'ready' });
      await postedCount(fake, 1);
      assert.deepEqual((fake.posted[0] as { run?: unknown }).run, { decisions, targetUnit: 'phoneme' }, 'g2p without result.json: phoneme');
      (fake.panel as { dispose(): void }).dispose();

      fs.writeFileSync(path.join(root, 'config.json'), JSON.stringify({ config: {}, data: { task: 'g2p' }, decisions: { ...decisions, sourceTokenizer: { ...decision, tokenizer: '<img>' } } }));
      fs.writeFileSync(path.join(root, 'result.json'), JSON.stringify({ targetUnit: 'word' }));
      const warned = warnings.length;
      const again = fakePanel();
      panels.DashboardPanel.revive(again.panel as never, context, root, []);
      again.send({ type: 'ready' });
      await postedCount(again, 1);
      assert.deepEqual((again.posted[0] as { run?: unknown }).run, { targetUnit: 'word' }, 'result.json wins; bad decisions are not sent');
      assert.match(warnings.slice(warned).join('\n'), /sourceTokenizer\.tokenizer/);
      (again.panel as { dispose(): void }).dispose();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('train form: inspect asks the engine, a newer inspect cancels the older, failures become dataCardFailed', async () => {
    type Pending = { params: unknown; token: { isCancellationRequested: boolean }; resolve(card: unknown): void; reject(e: unknown): void };
    const pending: Pending[] = [];
    panels.TrainFormPanel.createOrShow(context, {
      tasks: [],
      initial: {},
      onStart: () => undefined,
      onQueue: async () => 0,
      pickDataFile: async () => undefined,
      inspect: (params, token) => new Promise((resolve, reject) => pending.push({ params, token, resolve, reject })) as never,
    });
    const fake = created[created.length - 1];
    const tick = () => new Promise(resolve => setImmediate(resolve));
    const first = fake.send({ type: 'inspect', requestId: 1, config: { maxSourceLength: 50 }, dataPath: '/w/a.tsv' });
    const second = fake.send({ type: 'inspect', requestId: 2, config: { maxSourceLength: 60 }, dataPath: '/w/a.tsv' });
    await tick();
    assert.equal(pending.length, 2);
    assert.deepEqual(pending[0].params, { config: { maxSourceLength: 50 }, dataPath: '/w/a.tsv' });
    assert.equal(pending[0].token.isCancellationRequested, true, 'the newer request cancelled the older');
    assert.equal(pending[1].token.isCancellationRequested, false);
    pending[0].resolve({ pairs: 1 });
    pending[1].resolve({ pairs: 2 });
    await Promise.all([first, second]);
    assert.deepEqual(fake.posted, [{ type: 'dataCard', requestId: 2, card: { pairs: 2 } }], 'only the latest card is posted');

    const third = fake.send({ type: 'inspect', requestId: 3, config: {}, dataPath: '/w/missing.tsv' });
    await tick();
    pending[2].reject(new Error('ENOENT: no such file /w/missing.tsv'));
    await third;
    assert.deepEqual(fake.posted.at(-1), { type: 'dataCardFailed', requestId: 3, message: 'ENOENT: no such file /w/missing.tsv' });
    assert.ok(warnings.some(w => w.includes('missing.tsv')), 'the failure is logged');

    const fourth = fake.send({ type: 'inspect', requestId: 4, config: {}, task: 'dates' });
    await tick();
    await fake.send({ type: 'cancelInspect' });
    assert.equal(pending[3].token.isCancellationRequested, true, 'cancelInspect cancels the request in flight');
    pending[3].reject(new Error('cancelled'));
    await fourth;
    assert.equal(fake.posted.length, 2, 'a cancelled request answers nothing');

    void fake.send({ type: 'inspect', requestId: 5, config: {}, dataPath: '/w/a.tsv' });
    await tick();
    (fake.panel as { dispose(): void }).dispose();
    assert.equal(pending[4].token.isCancellationRequested, true, 'closing the form cancels its request');
  });

  it('form and dashboard: a localized host sends its bundle with init and history, and the page\'s language', async () => {
    const bundle = { 'Hidden size': '隐藏层大小' };
    fakeVscode.l10n.bundle = bundle;
    fakeVscode.env.language = 'zh-cn';
    try {
      panels.TrainFormPanel.createOrShow(context, { tasks: [], initial: {}, onStart: () => undefined, onQueue: async () => 0, pickDataFile: async () => undefined, inspect: async () => undefined as never });
      const form = created[created.length - 1];
      assert.match((form.panel as { webview: { html: string } }).webview.html, /<html lang="zh-cn">/);
      await form.send({ type: 'ready' });
      assert.deepEqual((form.posted[form.posted.length - 1] as { l10n?: unknown }).l10n, bundle);
      (form.panel as { dispose(): void }).dispose();
      const dash = fakePanel();
      panels.DashboardPanel.revive(dash.panel as never, context, '/runs/zh', []);
      assert.match((dash.panel as { webview: { html: string } }).webview.html, /<html lang="zh-cn">/);
      dash.send({ type: 'ready' });
      await postedCount(dash, 1);
      assert.deepEqual(dash.posted, [{ type: 'history', runDir: '/runs/zh', events: [], run: {}, l10n: bundle }]);
      (dash.panel as { dispose(): void }).dispose();
    } finally {
      fakeVscode.l10n.bundle = undefined;
      fakeVscode.env.language = 'en';
    }
  });

  it('attention: every message rejected, nothing posted, no request made, still answers ready', async () => {
    const random = rng(3);
    const fake = fakePanel();
    const translation: Translation = { source: 'ab', sourceTokens: ['a', 'b'], output: 'b', tokens: ['b'], probabilities: [0.9], attention: [[0.2, 0.8]], candidates: [] };
    let requests = 0;
    const count = async () => {
      requests++;
      return undefined as never;
    };
    const counting = { ...context, engine: { translate: count } as never, models: { current: count } };
    panels.AttentionPanel.revive(fake.panel as never, counting, { items: [{ id: 'a', label: 'ab', origin: 'command', translation }] } as never);
    const types = ['ready', 'error', 'translate', 'whatIf', 'highlightRow', 'export'];
    for (let i = 0; i < COUNT; i++) await fake.send(i % 4 === 3 ? attentionMalformed(random) : malformed(random, types, false));
    await new Promise(resolve => setImmediate(resolve));
    console.log(`      attention: ${COUNT} messages → ${warnings.length} dropped as invalid, ${fake.posted.length} posted, ${requests} engine requests, ${errors.length} errors`);
    assert.equal(warnings.length, COUNT);
    assert.equal(fake.posted.length, 0);
    assert.equal(requests, 0, 'no translation or model lookup was asked for');
    assert.equal(errors.length, 0);
    assert.equal(fake.disposed, false);
    await fake.send({ type: 'ready' });
    await new Promise(resolve => setImmediate(resolve));
    assert.ok(fake.posted.length > 0, 'a valid ready is still answered');
    (fake.panel as { dispose(): void }).dispose();
  });
});

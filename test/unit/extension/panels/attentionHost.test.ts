/**
 * The attention panel's host side with a stand-in `vscode` and engine: what it posts on
 * `ready`, live evaluations from training events, typed-text translations, what-if requests
 * (the forced prefix is the base's tokens before the position plus the user's token, decoded
 * with the base's model), and failures reported to the webview instead of thrown.
 */
import { strict as assert } from 'assert';
import type { ProgressEvent, TranslateRequest, Translation } from '../../../../src/shared/protocol';
import { createFakeVscode, FakeEventEmitter as EventEmitter, installFakeVscode } from '../fakeVscode';

const { api: fakeVscode, created: panelsCreated } = createFakeVscode();

const translation: Translation = {
  source: 'march 3 2021',
  sourceTokens: ['march', '3', '2021'],
  output: '2021-03',
  tokens: ['2021', '-', '03'],
  probabilities: [0.9, 0.8, 0.7],
  attention: [[0, 0.1, 0.9], [0.3, 0.4, 0.3], [0.1, 0.8, 0.1]],
  candidates: [
    { output: '2021-03', tokens: ['2021', '-', '03'], probabilities: [0.9, 0.8, 0.7], logProbability: -0.7, score: -0.5, attention: [[0, 0.1, 0.9], [0.3, 0.4, 0.3], [0.1, 0.8, 0.1]] },
    { output: '2021-04', tokens: ['2021', '-', '04'], probabilities: [0.9, 0.8, 0.1], logProbability: -2.4, score: -2.1, attention: [[0, 0.1, 0.9], [0.3, 0.4, 0.3], [0.1, 0.7, 0.2]] },
  ],
};

describe('attention panel host', () => {
  let uninstall: () => void;
  let panels: typeof import('../../../../src/extension/panels');
  let context: import('../../../../src/extension/panels').PanelContext;
  const progress = new EventEmitter<{ runDir: string; event: ProgressEvent }>();
  const ended = new EventEmitter<{ runDir: string }>();
  const requests: TranslateRequest.Params[] = [];
  let failNext: Error | undefined;
  const sample = { ...translation, reference: '2021-03-03', candidates: [] };

  before(() => {
    uninstall = installFakeVscode(fakeVscode);
    panels = require('../../../../src/extension/panels');
    panels.setPanelLog({ warn() {}, error() {} });
    const attention = new panels.AttentionStore();
    const training = { onDidStart: new EventEmitter().event, onDidProgress: progress.event, onDidEnd: ended.event, activeRunDir: undefined, history: async () => [] };
    attention.followTraining(training as never);
    context = {
      extensionUri: { path: '/ext' } as never,
      training: training as never,
      attention,
      models: { current: async () => ({ dir: '/runs/model', name: 'model' }) },
      runs: {} as never,
      queue: {} as never,
      engine: { translate: async (params: TranslateRequest.Params) => {
        requests.push(params);
        if (failNext) {
          const error = failNext;
          failNext = undefined;
          throw error;
        }
        const forced = params.forcedPrefix ?? [];
        const tokens = [...forced, ...translation.tokens.slice(forced.length)];
        return { backend: 'cpu', translations: [{ ...translation, source: params.lines[0], tokens, output: tokens.join(''), candidates: [] }] };
      } } as never,
    };
  });
  after(() => {
    panels.AttentionPanel.open?.dispose();
    panels.setPanelLog(undefined);
    uninstall();
  });

  it('answers ready with the items and the followed run; live training events follow', async () => {
    panels.AttentionPanel.createOrShow(context, translation, { model: { dir: '/runs/a', name: 'a' } });
    const fake = panelsCreated[panelsCreated.length - 1];
    await fake.send({ type: 'ready' });
    const [items, live] = fake.posted;
    assert.equal(items.type, 'items');
    assert.deepEqual((items.items as Array<{ translation: Translation; model: string }>).map(i => [i.translation, i.model]), [[translation, 'a']]);
    assert.equal(items.selectedId, (items.items as Array<{ id: string }>)[0].id);
    assert.deepEqual(live, { type: 'live', live: { runDir: '/runs/model', name: 'model', training: false, evaluations: [] } });

    fake.posted.length = 0;
    const start = { kind: 'start', runDir: '/runs/b' } as unknown as ProgressEvent;
    progress.fire({ runDir: '/runs/b', event: start });
    progress.fire({ runDir: '/runs/b', event: { kind: 'eval', step: 20, epoch: 0, metrics: {} as never, best: true, sample } });
    progress.fire({ runDir: '/runs/b', event: { kind: 'step' } as ProgressEvent });
    assert.deepEqual(fake.posted.map(m => m.type), ['live', 'evaluation']);
    assert.deepEqual(fake.posted[1], { type: 'evaluation', runDir: '/runs/b', evaluation: { step: 20, epoch: 0, sample } });
    ended.fire({ runDir: '/runs/b' });
    assert.equal((fake.posted[2].live as { training: boolean }).training, false);
  });

  it('what-if: keeps the tokens before the position, forces the user\'s token, decodes with the base\'s model', async () => {
    const fake = panelsCreated[panelsCreated.length - 1];
    const id = panels.AttentionPanel.open!.items[0].id;
    fake.posted.length = 0;
    await fake.send({ type: 'whatIf', ref: { kind: 'item', itemId: id, candidate: 1 }, position: 2, token: '05' });
    assert.deepEqual(requests[requests.length - 1], { modelDir: '/runs/a', lines: ['march 3 2021'], forcedPrefix: ['2021', '-', '05'], beamSize: 1 });
    assert.deepEqual(fake.posted.map(m => m.type), ['busy', 'items', 'busy']);
    const whatIf = (fake.posted[1].items as Array<{ origin: string; whatIf: { position: number; base: { tokens: string[] } }; translation: Translation }>)[0];
    assert.equal(whatIf.origin, 'whatIf');
    assert.deepEqual([whatIf.whatIf.position, whatIf.whatIf.base.tokens, whatIf.translation.tokens], [2, ['2021', '-', '04'], ['2021', '-', '05']]);

    // The validation sample of an evaluation: decoded with that run.
    await fake.send({ type: 'whatIf', ref: { kind: 'evaluation', step: 20 }, position: 0, token: '1999' });
    assert.deepEqual(requests[requests.length - 1], { modelDir: '/runs/b', lines: ['march 3 2021'], forcedPrefix: ['1999'], beamSize: 1 });
    // An unknown reference asks the engine nothing and says so.
    const before = requests.length;
    fake.posted.length = 0;
    await fake.send({ type: 'whatIf', ref: { kind: 'evaluation', step: 999 }, position: 0, token: 'x' });
    assert.equal(requests.length, before);
    assert.equal(fake.posted[0].type, 'failed');
  });

  it('typed text goes to the selected model; an engine failure is shown, not thrown', async () => {
    const fake = panelsCreated[panelsCreated.length - 1];
    fake.posted.length = 0;
    await fake.send({ type: 'translate', text: 'july 4 1976', beamSize: 4 });
    assert.deepEqual(requests[requests.length - 1], { modelDir: '/runs/model', lines: ['july 4 1976'], beamSize: 4 });
    const items = fake.posted.find(m => m.type === 'items')!;
    assert.equal((items.items as Array<{ origin: string }>)[0].origin, 'typed');
    fake.posted.length = 0;
    failNext = new Error('engine stopped');
    await fake.send({ type: 'translate', text: 'x', beamSize: 1 });
    assert.deepEqual(fake.posted.map(m => m.type), ['busy', 'failed', 'busy']);
    assert.match(String(fake.posted[1].message), /engine stopped/);
  });
});

/**
 * The panel host (src/extension/panels/panelHost.ts) and the serializer registry, with a small
 * stand-in for `vscode` that records what the host does to its WebviewPanels: one panel per key
 * (create or reveal), revive (adopt, or close the restored duplicate), the HTML shell, invalid
 * messages dropped with a logged reason, `error` reports logged, a failing handler logged,
 * nothing posted after dispose, and dispose releasing every subscription. Then the wiring:
 * a run that starts opens its dashboard, which takes its run's events (and only those) from the
 * training controller's onDidProgress.
 */
import { strict as assert } from 'assert';
import type { ProgressEvent } from '../../../../src/shared/protocol';
import { fail, isRecord, ok, type Parsed } from '../../../../src/shared/validation';
import { createFakeVscode, FakeEventEmitter as EventEmitter, fakePanel, fakeUri as uri, installFakeVscode, type FakePanel } from '../fakeVscode';


const { api: fakeVscode, created } = createFakeVscode();

type TestIn = { type: 'ready' } | { type: 'boom' } | { type: 'error'; message: string };
type TestOut = { type: 'hello'; n: number };

function parseTestMessage(x: unknown): Parsed<TestIn> {
  if (!isRecord(x)) return fail('not an object');
  if (x.type === 'ready' || x.type === 'boom') return ok({ type: x.type });
  if (x.type === 'error' && typeof x.message === 'string') return ok({ type: 'error', message: x.message });
  return fail(`unknown type ${String(x.type)}`);
}

describe('panel host', () => {
  let uninstall: () => void;
  let host: typeof import('../../../../src/extension/panels/panelHost');
  let panels: typeof import('../../../../src/extension/panels');
  let serializers: typeof import('../../../../src/extension/panels/serializers');
  const warnings: string[] = [];
  const errors: string[] = [];
  const extensionUri = uri('/ext');

  /** A minimal panel kind on the host: records what reaches its own handler. */
  let TestPanel: ReturnType<typeof defineTestPanel>;
  function defineTestPanel() {
    const { PanelHost, PanelRegistry } = host;
    return class TestPanel extends PanelHost<TestIn, TestOut> {
      static readonly registry = new PanelRegistry<TestPanel>();
      readonly handled: string[] = [];
      constructor(panel: unknown, readonly key: string) {
        super(panel as never, { viewType: 'test.kind', logName: 'test', icon: 'test', script: 'testBundle', styles: ['panels.css', 'test.css'], parse: parseTestMessage }, { registry: TestPanel.registry, key }, extensionUri as never, { title: `Test ${key}`, loading: 'Loading the test…' });
      }
      static show(key: string, onReuse: (p: TestPanel) => void = () => undefined): TestPanel {
        return TestPanel.registry.showOrCreate(key, { extensionUri: extensionUri as never, viewType: 'test.kind', title: `Test ${key}`, placement: { viewColumn: -1 as never } }, onReuse, panel => new TestPanel(panel, key));
      }
      send(n: number): void {
        this.post({ type: 'hello', n });
      }
      hold(disposable: { dispose(): void }): void {
        this.disposables.push(disposable);
      }
      protected onMessage(message: Exclude<TestIn, { type: 'error' }>): void {
        this.handled.push(message.type);
        if (message.type === 'boom') throw new Error('the handler failed');
      }
    };
  }

  before(() => {
    uninstall = installFakeVscode(fakeVscode);
    host = require('../../../../src/extension/panels/panelHost');
    panels = require('../../../../src/extension/panels');
    serializers = require('../../../../src/extension/panels/serializers');
    panels.setPanelLog({ warn: m => warnings.push(m), error: m => errors.push(m) });
    TestPanel = defineTestPanel();
  });
  after(() => {
    panels.setPanelLog(undefined);
    uninstall();
  });
  beforeEach(() => {
    warnings.length = 0;
    errors.length = 0;
    created.length = 0;
  });

  it('one panel per key: a second show reveals and reuses it; another key opens another; a closed one leaves the registry', () => {
    const reused: unknown[] = [];
    const a = TestPanel.show('a');
    const again = TestPanel.show('a', p => reused.push(p));
    const b = TestPanel.show('b');
    assert.equal(again, a);
    assert.deepEqual(reused, [a]);
    assert.equal(created.length, 2, 'two webview panels, not three');
    assert.equal((a.panel as unknown as FakePanel).reveals, 1);
    assert.deepEqual(TestPanel.registry.all, [a, b]);
    (a.panel as unknown as FakePanel).dispose(); // the user closes it
    assert.equal(a.disposed, true);
    assert.equal(TestPanel.registry.get('a'), undefined);
    const fresh = TestPanel.show('a');
    assert.notEqual(fresh, a);
    assert.equal(created.length, 3);
    fresh.dispose();
    b.dispose();
    assert.deepEqual(TestPanel.registry.all, []);
  });

  it('sets title, icon and the shell: CSP default-src none, a nonce on the bundle, resources through asWebviewUri', () => {
    const panel = TestPanel.show('shell');
    const fake = panel.panel as unknown as FakePanel;
    assert.equal(fake.title, 'Test shell');
    assert.equal(String(fake.iconPath), '/ext/media/icons/test.svg');
    const html = fake.webview.html;
    const nonce = /<script nonce="([^"]+)" src="\/ext\/dist\/webview\/testBundle\.js"><\/script>/.exec(html)?.[1];
    assert.ok(nonce && nonce.length >= 16, 'the bundle carries a nonce');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1].replace(/&#39;/g, "'").split('; ');
    assert.ok(csp?.includes("default-src 'none'"), String(csp));
    assert.ok(csp?.includes(`script-src 'nonce-${nonce}'`), String(csp));
    assert.match(html, /href="\/ext\/media\/test\.css"/);
    assert.match(html, /Loading the test…/);
    assert.doesNotMatch(html, /\son[a-z]+=/, 'no inline handlers');
    const other = TestPanel.show('shell-2');
    assert.notEqual(/nonce="([^"]+)"/.exec((other.panel as unknown as FakePanel).webview.html)?.[1], nonce, 'a fresh nonce per render');
    panel.dispose();
    other.dispose();
  });

  it('an invalid message is logged and never reaches the panel; an error report is logged; a failing handler is logged, not thrown', async () => {
    const panel = TestPanel.show('messages');
    const fake = panel.panel as unknown as FakePanel;
    await fake.receive({ type: 'rogue' });
    await fake.receive(null);
    await fake.receive({ type: 'error', message: 42 });
    assert.deepEqual(panel.handled, []);
    assert.equal(warnings.length, 3);
    assert.match(warnings[0], /^test: dropped an invalid message: unknown type rogue/);
    await fake.receive({ type: 'error', message: 'the chart failed' });
    assert.deepEqual(panel.handled, [], 'an error report is not the panel\'s to handle');
    assert.deepEqual(errors, ['test webview: the chart failed']);
    await fake.receive({ type: 'boom' });
    assert.match(errors[1], /^test: handling "boom" failed: Error: the handler failed/);
    await fake.receive({ type: 'ready' });
    assert.deepEqual(panel.handled, ['boom', 'ready']);
    panel.dispose();
  });

  it('posts while alive; after dispose a post is a no-op', () => {
    const panel = TestPanel.show('post');
    const fake = panel.panel as unknown as FakePanel;
    panel.send(1);
    panel.dispose();
    panel.send(2);
    assert.deepEqual(fake.posted, [{ type: 'hello', n: 1 }]);
  });

  it('dispose closes the panel and releases every subscription, once', () => {
    const panel = TestPanel.show('dispose');
    const fake = panel.panel as unknown as FakePanel;
    let released = 0;
    panel.hold({ dispose: () => void released++ });
    assert.equal(fake.listeners(), 3, 'messages, view state, dispose');
    panel.dispose();
    panel.dispose();
    assert.equal(fake.disposed, true);
    assert.equal(released, 1);
    assert.equal(fake.listeners(), 0);
    assert.equal(TestPanel.registry.get('dispose'), undefined);
  });

  it('revive adopts a restored panel (with the webview options) or, when one is open, closes the restored one', () => {
    const restored = fakePanel('test.kind');
    const revived = TestPanel.registry.revive('r', restored as never, extensionUri as never, () => assert.fail('nothing open yet'), p => new TestPanel(p, 'r'));
    assert.equal(revived.panel as unknown, restored);
    const options = restored.webview.options as { enableScripts: boolean; localResourceRoots: Array<{ path: string }> };
    assert.deepEqual([options.enableScripts, options.localResourceRoots.map(root => root.path)], [true, ['/ext/dist/webview', '/ext/media']]);
    const duplicate = fakePanel('test.kind');
    const reused: unknown[] = [];
    const result = TestPanel.registry.revive('r', duplicate as never, extensionUri as never, p => reused.push(p), () => assert.fail('must not create a second'));
    assert.equal(result, revived);
    assert.deepEqual(reused, [revived]);
    assert.equal(duplicate.disposed, true);
    assert.equal(restored.disposed, false);
    revived.dispose();
  });

  it('the serializer registry: a bad saved state closes the panel with a warning; a good one is revived with the parsed state', async () => {
    const revived: unknown[] = [];
    const restorer = {
      viewType: 'test.kind',
      logName: 'test',
      parseState: (x: unknown): Parsed<{ runDir: string }> => (isRecord(x) && typeof x.runDir === 'string' ? ok({ runDir: x.runDir }) : fail('state.runDir must be a string')),
      revive: (_panel: unknown, state: { runDir: string }) => void revived.push(state),
    };
    const bad = fakePanel('test.kind');
    await serializers.restorePanel(restorer, bad as never, { runDir: 7 });
    assert.equal(bad.disposed, true);
    assert.deepEqual(warnings, ['test: not restored (state.runDir must be a string)']);
    assert.deepEqual(revived, []);
    const good = fakePanel('test.kind');
    await serializers.restorePanel(restorer, good as never, { runDir: '/runs/a', extra: 1 });
    assert.deepEqual(revived, [{ runDir: '/runs/a' }]);
    assert.equal(good.disposed, false);
  });

  it('every restorable panel is in the serializer registry', () => {
    const context = { extensionUri, training: {}, engine: {}, models: {}, attention: {} } as never;
    assert.deepEqual(serializers.panelSerializers(context).map(s => s.viewType).sort(), ['seq2seqLab.attention', 'seq2seqLab.compareRuns', 'seq2seqLab.dashboard', 'seq2seqLab.diffs', 'seq2seqLab.experiments', 'seq2seqLab.sweep']);
  });

  it('training events: a run that starts opens its dashboard, which gets its run\'s events and no other\'s', async () => {
    const started = new EventEmitter<{ runDir: string; params: unknown; history: ProgressEvent[] }>();
    const progress = new EventEmitter<{ runDir: string; event: ProgressEvent }>();
    const ended = new EventEmitter<{ runDir: string }>();
    const training = { onDidStart: started.event, onDidProgress: progress.event, onDidEnd: ended.event, activeRunDir: '/runs/live', history: async () => [] };
    const subscriptions: Array<{ dispose(): void }> = [];
    panels.registerPanels(subscriptions as never, { extensionUri: extensionUri as never, training: training as never, engine: {} as never, models: { current: async () => undefined }, runs: {} as never, queue: {} as never });
    const earlier: ProgressEvent = { kind: 'log', level: 'info', message: 'resumed' };
    started.fire({ runDir: '/runs/live', params: {}, history: [earlier] });
    assert.deepEqual(created.map(p => [p.viewType, p.title]), [['seq2seqLab.dashboard', 'Training: live']]);
    const dashboard = panels.DashboardPanel.get('/runs/live')!;
    const fake = created[0];
    await fake.receive({ type: 'ready' });
    for (let i = 0; i < 100 && fake.posted.length === 0; i++) await new Promise(resolve => setTimeout(resolve, 5));
    assert.deepEqual(fake.posted, [{ type: 'history', runDir: '/runs/live', events: [earlier], run: {} }]);
    const mine: ProgressEvent = { kind: 'log', level: 'info', message: 'step 1' };
    progress.fire({ runDir: '/runs/live', event: mine });
    progress.fire({ runDir: '/runs/other', event: { kind: 'log', level: 'info', message: 'not mine' } });
    assert.deepEqual(fake.posted.slice(1), [{ type: 'event', event: mine }]);
    dashboard.dispose();
    const listening = progress.listenerCount;
    progress.fire({ runDir: '/runs/live', event: mine });
    assert.equal(fake.posted.length, 2, 'a closed dashboard gets nothing');
    subscriptions.forEach(s => s.dispose());
    assert.ok(progress.listenerCount < listening, 'the store unsubscribes with the extension');
    assert.equal(started.listenerCount, 0);
  });
});

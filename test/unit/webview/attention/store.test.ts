/**
 * The attention webview's state (webview/attention/store.ts), DOM-free: which sample is shown
 * when the selection goes away, what a new item or run does to the selection and the slider,
 * evaluations of another run ignored, the what-if "before" map, and the saved state.
 */
import { strict as assert } from 'assert';
import type { AttentionEvaluation, AttentionItem, LiveRun } from '../../../../src/shared/attentionProtocol';
import type { Translation } from '../../../../src/shared/protocol';
import { AttentionViewState, LIVE } from '../../../../webview/attention/store';

const translation: Translation = {
  source: 'ab', sourceTokens: ['a', 'b'], output: 'xy', tokens: ['x', 'y'], probabilities: [0.9, 0.8], attention: [[0.9, 0.1], [0.2, 0.8]],
  candidates: [
    { output: 'xy', tokens: ['x', 'y'], probabilities: [0.9, 0.8], logProbability: -0.3, score: -0.2, attention: [[0.9, 0.1], [0.2, 0.8]] },
    { output: 'xz', tokens: ['x', 'z'], probabilities: [0.9, 0.1], logProbability: -2.4, score: -2.0, attention: [[0.9, 0.1], [0.5, 0.5]] },
  ],
};
const item = (id: string, extra: Partial<AttentionItem> = {}): AttentionItem => ({ id, label: id, origin: 'command', translation, ...extra });
const evaluation = (step: number): AttentionEvaluation => ({ step, epoch: 0, sample: { ...translation, reference: 'xy', candidates: [] } });
const run = (runDir: string, evaluations: AttentionEvaluation[]): LiveRun => ({ runDir, name: runDir.slice(1), training: true, evaluations });

describe('attention webview state', () => {
  it('a new item is selected with candidate 0; a vanished selection falls back to the first item, else the live run', () => {
    const state = new AttentionViewState();
    state.setItems([item('a'), item('b')], undefined);
    state.settleSelection();
    assert.equal(state.selected, 'item:a');
    state.candidate = 1;
    state.showBefore = true;
    state.setItems([item('c'), item('a')], 'c');
    assert.deepEqual([state.selected, state.candidate, state.showBefore], ['item:c', 0, false]);
    state.setItems([item('a')], undefined);
    state.settleSelection();
    assert.equal(state.selected, 'item:a', 'c is gone');
    state.setItems([], undefined);
    state.setLive(run('/r', []));
    state.settleSelection();
    assert.equal(state.selected, LIVE);
    state.setLive(undefined);
    state.settleSelection();
    assert.equal(state.selected, undefined);
  });

  it('the slider follows the newest evaluation until moved back; the same run keeps it, another run resets it', () => {
    const state = new AttentionViewState();
    state.setLive(run('/r', [evaluation(10), evaluation(20), evaluation(30)]));
    assert.equal(state.selected, LIVE, 'with no items the live run is shown');
    assert.equal(state.currentView()?.step, 30);
    state.scrub(0);
    assert.equal(state.currentView()?.step, 10);
    assert.ok(state.addEvaluation('/r', evaluation(40)));
    assert.equal(state.currentView()?.step, 10, 'scrubbed back: stays');
    assert.equal(state.addEvaluation('/other', evaluation(50)), false);
    assert.equal(state.live?.evaluations.length, 4);
    state.setLive({ ...run('/r', state.live!.evaluations), training: false });
    assert.deepEqual(state.evaluationPosition().index, 0, 'the same run (it ended): the slider stays');
    state.scrub(3);
    assert.equal(state.evaluationIndex, undefined, 'at the newest: follows again');
    state.scrub(1);
    state.setLive(run('/s', [evaluation(5)]));
    assert.equal(state.evaluationIndex, undefined, 'another run: from the newest');
  });

  it('the map: the chosen candidate, and a what-if before its change', () => {
    const state = new AttentionViewState();
    const whatIf = item('w', { origin: 'whatIf', whatIf: { position: 1, baseLabel: 'b', base: { tokens: ['x', 'q'], probabilities: [0.9, 0.3], attention: [[1, 0], [0, 1]] } } });
    state.setItems([whatIf, item('a')], 'a');
    state.candidate = 1;
    assert.deepEqual(state.currentView()?.tokens, ['x', 'z']);
    state.select('item:w');
    assert.deepEqual(state.currentView()?.tokens, ['x', 'y']);
    state.showBefore = true;
    const before = state.currentView()!;
    assert.deepEqual([before.key.endsWith(':before'), before.tokens, before.attention], [true, ['x', 'q'], [[1, 0], [0, 1]]]);
  });

  it('saves the items and the selected item, not the live run; restores them', () => {
    const state = new AttentionViewState();
    state.setItems([item('a'), item('b')], 'b');
    state.setLive(run('/r', [evaluation(1)]));
    const saved = state.saved();
    assert.deepEqual(saved, { items: [item('a'), item('b')], selectedId: 'b' });
    const again = new AttentionViewState();
    again.restore(JSON.parse(JSON.stringify(saved)));
    assert.deepEqual([again.items.map(i => i.id), again.selected], [['a', 'b'], 'item:b']);
    again.select(LIVE);
    assert.deepEqual(again.saved(), { items: again.items });
    const untouched = new AttentionViewState();
    untouched.restore({ items: 'nope' } as never);
    assert.deepEqual(untouched.items, []);
  });
});

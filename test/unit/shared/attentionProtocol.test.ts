/**
 * The attention panel's requests (translate typed text, what-if, highlight a row, export): the
 * well-formed ones pass as plain typed copies; 1,000 random messages shaped like them are all
 * rejected with a reason, and the validator never throws.
 */
import { strict as assert } from 'assert';
import { MAX_PANEL_BEAM, parseAttentionMessage } from '../../../src/shared/attentionProtocol';
import { makeRng } from '../../../src/engine/data/split';


const PNG = 'data:image/png;base64,iVBORw0KGgo=';
const VALID = [
  { type: 'translate', text: 'march 3 2021', beamSize: 4 },
  { type: 'whatIf', ref: { kind: 'item', itemId: 't1', candidate: 0 }, position: 2, token: '0' },
  { type: 'whatIf', ref: { kind: 'evaluation', step: 40 }, position: 0, token: ' ' },
  { type: 'highlightRow', ref: { kind: 'item', itemId: 't1', candidate: 1 }, row: 3 },
  { type: 'export', format: 'png', data: PNG, name: 'attention-march-3.png' },
  { type: 'export', format: 'json', data: '{"attention":[[1]]}', name: 'attention.json' },
];

/** A valid message with one thing broken (so every one of them must be rejected). */
function broken(r: () => number): unknown {
  const base = structuredClone(VALID[Math.floor(r() * VALID.length)]) as Record<string, unknown>;
  const junk = [undefined, null, -1, 1.5, NaN, Infinity, '', 'x'.repeat(5000), [], {}, true, 1e20, '__proto__'];
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  switch (Math.floor(r() * 9)) {
    case 0: return { ...base, [pick(['extra', 'path', 'command', '__proto__x'])]: pick(junk) };
    case 1: return { ...base, type: pick(['Translate', 'what-if', 'highlight', 'exportPng', 'run', '']) };
    case 2: return base.type === 'translate' ? { ...base, beamSize: pick([0, -1, 1.5, MAX_PANEL_BEAM + 1, '4', null]) } : { ...base, ref: pick([null, 'item', { kind: 'item' }, { kind: 'item', itemId: '', candidate: 0 }, { kind: 'item', itemId: 'x', candidate: -1 }, { kind: 'evaluation', step: 1.5 }, { kind: 'evaluation', step: 1, itemId: 'x' }, { kind: 'other' }]) };
    case 3: return base.type === 'translate' ? { ...base, text: pick(['', '   ', 'x'.repeat(4097), 3, null]) } : base.type === 'export' ? { ...base, name: pick(['../../etc/passwd', 'a/b.png', '', 'x'.repeat(200), 'a\u0000.png', 5]) } : { ...base, [base.type === 'whatIf' ? 'position' : 'row']: pick([-1, 1.5, 1e9, '2', null]) };
    case 4: return base.type === 'export' ? { ...base, data: pick(['data:image/jpeg;base64,AAAA', 'data:image/png;base64,<script>', 'javascript:alert(1)', 42]) } : { ...base, type: 'export', format: 'png', data: 'not a png', name: 'a.png' };
    case 5: return { type: 'export', format: pick(['svg', 'PNG', '', null]), data: PNG, name: 'a.png' };
    case 6: return { type: 'export', format: 'json', data: pick(['{', '[1,2]', '"text"', 'null', '']), name: 'a.json' };
    case 7: return { type: 'whatIf', ref: { kind: 'item', itemId: 't1', candidate: 0 }, position: 0, token: pick(['', 'x'.repeat(300), 5, null]) };
    default: return pick([null, undefined, 42, 'translate', [], [base], JSON.parse(`{"type":"${base.type}","__proto__":{"polluted":true}}`)]);
  }
}

describe('attention protocol: webview → host', () => {
  it('accepts well-formed requests as plain copies', () => {
    for (const message of VALID) {
      const parsed = parseAttentionMessage(message);
      assert.ok(parsed.ok, JSON.stringify(parsed));
      assert.deepEqual(parsed.value, message);
    }
  });

  it('rejects 1,000 random malformed messages without throwing', () => {
    const r = makeRng(2024);
    for (let i = 0; i < 1000; i++) {
      const message = broken(r);
      let parsed;
      assert.doesNotThrow(() => (parsed = parseAttentionMessage(message)), `message ${i}`);
      assert.equal((parsed as unknown as { ok: boolean }).ok, false, `accepted ${JSON.stringify(message)?.slice(0, 200)}`);
      assert.ok((parsed as unknown as { error: string }).error.length > 0);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

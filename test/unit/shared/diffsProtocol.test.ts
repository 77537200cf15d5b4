/**
 * The diffs and run comparison panels' webview protocol: valid messages and saved states parse to
 * plain typed copies; 1,000 random values (and hand-made hostile ones) are rejected with a reason
 * and never throw.
 */
import { strict as assert } from 'assert';
import { parseCompareMessage, parseCompareState, parseDiffsMessage, parseDiffsRequest, parseDiffsState } from '../../../src/shared/diffsProtocol';

/** Seeded PRNG (mulberry32): the same random cases on every run. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['type', 'message', 'request', 'split', 'a', 'b', 'runDir', 'checkpoint', 'runDirs', '__proto__', 'constructor', 'x'];
const STRINGS = ['ready', 'cancel', 'retry', 'error', 'valid', 'test', 'best', 'last', '', '/runs/a', 'x'.repeat(5000)];

function randomValue(r: () => number, depth = 0): unknown {
  if (depth === 0 && r() < 0.3) {
    // Message-shaped: a known or unknown type, sometimes with a field.
    const message: Record<string, unknown> = { type: STRINGS[Math.floor(r() * STRINGS.length)] };
    if (r() < 0.4) message[KEYS[Math.floor(r() * KEYS.length)]] = randomValue(r, depth + 1);
    return message;
  }
  switch (Math.floor(r() * (depth > 3 ? 6 : 9))) {
    case 0: return null;
    case 1: return undefined;
    case 2: return r() < 0.5;
    case 3: return [0, -1, 1.5, NaN, Infinity, 1e308][Math.floor(r() * 6)];
    case 4: case 5: return STRINGS[Math.floor(r() * STRINGS.length)];
    case 6: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      const n = Math.floor(r() * 4);
      for (let i = 0; i < n; i++) o[KEYS[Math.floor(r() * KEYS.length)]] = randomValue(r, depth + 1);
      return o;
    }
  }
}

describe('diffs / comparison webview protocol', () => {
  it('accepts the messages the webviews send', () => {
    for (const m of [{ type: 'ready' }, { type: 'cancel' }, { type: 'retry' }, { type: 'error', message: 'boom' }]) assert.deepEqual(parseDiffsMessage(m), { ok: true, value: m });
    for (const m of [{ type: 'ready' }, { type: 'error', message: '' }]) assert.deepEqual(parseCompareMessage(m), { ok: true, value: m });
  });

  it('rejects hostile and malformed messages with a reason', () => {
    const bad: unknown[] = [
      null, undefined, 1, 'ready', [], {}, { type: 1 }, { type: 'start' }, { type: 'ready', extra: 1 }, { type: 'error' }, { type: 'error', message: 3 },
      { type: 'error', message: 'x'.repeat(5000) }, { type: 'cancel', now: true }, JSON.parse('{"type":"ready","__proto__":{"polluted":1}}'),
    ];
    for (const m of bad) {
      const parsed = parseDiffsMessage(m);
      assert.equal(parsed.ok, false, JSON.stringify(m));
      if (!parsed.ok) assert.ok(parsed.error.length > 0);
    }
    assert.equal(parseCompareMessage({ type: 'cancel' }).ok, false, 'the comparison has no cancel');
  });

  it('validates saved state: requests of one or two checkpoints, run lists', () => {
    const request = { split: 'valid', a: { runDir: '/runs/a', checkpoint: 'best' }, b: { runDir: '/runs/a', checkpoint: 'last' } };
    assert.deepEqual(parseDiffsState({ request, query: { sort: 'bleu' } }), { ok: true, value: { request } });
    assert.deepEqual(parseDiffsRequest({ split: 'test', a: { runDir: '/r', checkpoint: 'last' } }), { ok: true, value: { split: 'test', a: { runDir: '/r', checkpoint: 'last' } } });
    for (const r of [{ ...request, split: 'train' }, { ...request, a: { runDir: '', checkpoint: 'best' } }, { ...request, b: { runDir: '/r', checkpoint: 'first' } }, { ...request, c: 1 }, { split: 'valid' }]) {
      assert.equal(parseDiffsState({ request: r }).ok, false, JSON.stringify(r));
    }
    assert.deepEqual(parseCompareState({ runDirs: ['/a', '/b'] }), { ok: true, value: { runDirs: ['/a', '/b'] } });
    for (const s of [{}, { runDirs: [] }, { runDirs: [''] }, { runDirs: 'a' }, { runDirs: Array(33).fill('/a') }, null]) assert.equal(parseCompareState(s).ok, false, JSON.stringify(s));
  });

  it('never throws on 1,000 random values, and what it accepts is well formed', () => {
    const r = mulberry32(20261130);
    let accepted = 0;
    for (let i = 0; i < 1000; i++) {
      const x = randomValue(r);
      for (const parse of [parseDiffsMessage, parseCompareMessage, parseDiffsState, parseCompareState, parseDiffsRequest] as Array<(x: unknown) => { ok: boolean; error?: string; value?: unknown }>) {
        let parsed: { ok: boolean; error?: string; value?: unknown };
        assert.doesNotThrow(() => (parsed = parse(x)), JSON.stringify(x));
        if (parsed!.ok) {
          accepted++;
          assert.doesNotThrow(() => JSON.stringify(parsed.value));
        } else assert.equal(typeof parsed!.error, 'string');
      }
      const message = parseDiffsMessage(x);
      if (message.ok) assert.ok(['ready', 'cancel', 'retry', 'error'].includes(message.value.type));
    }
    assert.ok(accepted > 0, 'the generator reaches valid messages too');
  });
});

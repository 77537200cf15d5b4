/**
 * The validators of everything a webview sends to the host: well-formed messages pass and come
 * back as plain typed copies; malformed, hostile and random values are rejected with a reason
 * and never throw.
 */
import { strict as assert } from 'assert';
import { parseAttentionMessage, parseAttentionState, parseTranslation } from '../../../src/shared/attentionProtocol';
import { parseDashboardMessage, parseDashboardState, parseFormMessage, type Parsed } from '../../../src/shared/webviewProtocol';
import type { Translation } from '../../../src/shared/protocol';
import { makeRng } from '../../../src/engine/data/split';


function randomValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * (depth > 3 ? 7 : 10));
  const strings = ['', 'ready', 'start', 'pickDataFile', 'inspect', 'cancelInspect', 'requestId', 'error', 'type', 'config', 'task', 'dataPath', '__proto__', 'constructor', 'x'.repeat(5000), 'dates'];
  switch (pick) {
    case 0: return null;
    case 1: return undefined;
    case 2: return r() < 0.5;
    case 3: return [NaN, Infinity, -1, 0, 1e300, r() * 100][Math.floor(r() * 6)];
    case 4: return strings[Math.floor(r() * strings.length)];
    case 5: return Symbol('s');
    case 6: return () => 1;
    case 7: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      const n = Math.floor(r() * 5);
      for (let i = 0; i < n; i++) o[strings[Math.floor(r() * strings.length)]] = randomValue(r, depth + 1);
      if (r() < 0.6) o.type = strings[Math.floor(r() * strings.length)];
      return o;
    }
  }
}

function rejected<T>(result: Parsed<T>, pattern?: RegExp): string {
  assert.equal(result.ok, false, `expected a rejection, got ${JSON.stringify(result)}`);
  const error = (result as { error: string }).error;
  assert.equal(typeof error, 'string');
  assert.ok(error.length > 0 && error.length < 500, 'the reason is short and non-empty');
  if (pattern) assert.match(error, pattern);
  return error;
}

function accepted<T>(result: Parsed<T>): T {
  assert.equal(result.ok, true, `expected acceptance, got ${JSON.stringify(result)}`);
  return (result as { value: T }).value;
}

const translation: Translation = {
  source: 'march 3 2021',
  sourceTokens: ['m', 'a', 'r'],
  output: '2021',
  tokens: ['2', '0'],
  probabilities: [0.9, 0.5],
  attention: [
    [0.1, 0.2, 0.7],
    [0.3, 0.3, 0.4],
  ],
  candidates: [{ output: '20', tokens: ['2', '0'], probabilities: [0.9, 0.5], logProbability: -0.8, score: -0.8, attention: [] }],
};

describe('webview protocol: form → host', () => {
  it('accepts ready, pickDataFile and error', () => {
    assert.deepEqual(accepted(parseFormMessage({ type: 'ready' })), { type: 'ready' });
    assert.deepEqual(accepted(parseFormMessage({ type: 'pickDataFile' })), { type: 'pickDataFile' });
    assert.deepEqual(accepted(parseFormMessage({ type: 'error', message: 'boom' })), { type: 'error', message: 'boom' });
  });

  it('accepts start with a task or a data file and returns a copy', () => {
    const config = { hiddenSize: 32, cell: 'gru', bidirectional: false };
    const withTask = accepted(parseFormMessage({ type: 'start', config, task: 'dates' }));
    assert.deepEqual(withTask, { type: 'start', config, task: 'dates' });
    assert.notEqual((withTask as { config: unknown }).config, config, 'the config is copied');
    assert.deepEqual(accepted(parseFormMessage({ type: 'start', config: {}, dataPath: '/w/pairs.tsv' })), {
      type: 'start',
      config: {},
      dataPath: '/w/pairs.tsv',
    });
  });

  it('accepts queue, with or without a sweep; rejects a malformed sweep', () => {
    assert.deepEqual(accepted(parseFormMessage({ type: 'queue', config: { cell: 'gru' }, task: 'dates' })), { type: 'queue', config: { cell: 'gru' }, task: 'dates' });
    const sweep = { values: { hiddenSize: '32, 64', cell: 'lstm, gru' }, seeds: 3, random: 0 };
    assert.deepEqual(accepted(parseFormMessage({ type: 'queue', config: {}, dataPath: '/w/p.tsv', sweep })), { type: 'queue', config: {}, dataPath: '/w/p.tsv', sweep });
    rejected(parseFormMessage({ type: 'queue', config: {}, task: 'dates', sweep: { values: { a: 5 }, seeds: 1, random: 0 } }), /short strings/);
    rejected(parseFormMessage({ type: 'queue', config: {}, task: 'dates', sweep: { values: {}, seeds: 1.5, random: 0 } }), /whole numbers/);
    rejected(parseFormMessage({ type: 'queue', config: {}, task: 'dates', sweep: { values: {}, seeds: 1, random: 0, extra: 1 } }), /unexpected field "extra" in queue.sweep/);
    rejected(parseFormMessage({ type: 'queue', config: {}, task: 'dates', sweep: [] }), /queue.sweep must be an object/);
    const unpruned = { ...sweep, prune: false };
    assert.deepEqual(accepted(parseFormMessage({ type: 'queue', config: {}, task: 'dates', sweep: unpruned })), { type: 'queue', config: {}, task: 'dates', sweep: unpruned });
    rejected(parseFormMessage({ type: 'queue', config: {}, task: 'dates', sweep: { ...sweep, prune: 'no' } }), /prune must be true or false/);
    rejected(parseFormMessage({ type: 'start', config: {}, task: 'dates', sweep: {} }), /unexpected field "sweep" in start/);
  });

  it('accepts inspect (a dataset card request) and cancelInspect', () => {
    const config = { maxSourceLength: 50, sourceTokenizer: 'auto' };
    const inspect = accepted(parseFormMessage({ type: 'inspect', requestId: 3, config, dataPath: '/w/pairs.tsv' }));
    assert.deepEqual(inspect, { type: 'inspect', requestId: 3, config, dataPath: '/w/pairs.tsv' });
    assert.notEqual((inspect as { config: unknown }).config, config, 'the config is copied');
    assert.deepEqual(accepted(parseFormMessage({ type: 'inspect', requestId: 0, config: {}, task: 'dates' })), { type: 'inspect', requestId: 0, config: {}, task: 'dates' });
    assert.deepEqual(accepted(parseFormMessage({ type: 'cancelInspect' })), { type: 'cancelInspect' });
  });

  it('rejects an inspect without a whole request id, without exactly one dataset, or with extra fields', () => {
    rejected(parseFormMessage({ type: 'inspect', config: {}, dataPath: '/a.tsv' }), /requestId/);
    for (const requestId of [-1, 1.5, '2', NaN, Infinity, null, 2 ** 60]) rejected(parseFormMessage({ type: 'inspect', requestId, config: {}, dataPath: '/a.tsv' }), /requestId/);
    rejected(parseFormMessage({ type: 'inspect', requestId: 1, config: {} }), /inspect needs exactly one/);
    rejected(parseFormMessage({ type: 'inspect', requestId: 1, config: {}, task: 'dates', dataPath: '/a.tsv' }), /exactly one/);
    rejected(parseFormMessage({ type: 'inspect', requestId: 1, config: {}, dataPath: '' }), /empty/);
    rejected(parseFormMessage({ type: 'inspect', requestId: 1, config: { maxSourceLength: { $gt: 1 } }, dataPath: '/a.tsv' }), /inspect\.config\.maxSourceLength/);
    rejected(parseFormMessage({ type: 'inspect', requestId: 1, config: 'x', dataPath: '/a.tsv' }), /inspect\.config must be an object/);
    rejected(parseFormMessage({ type: 'inspect', requestId: 1, config: {}, dataPath: '/a.tsv', run: 1 }), /unexpected field "run" in inspect/);
    rejected(parseFormMessage({ type: 'start', requestId: 1, config: {}, task: 'dates' }), /unexpected field "requestId" in start/);
    rejected(parseFormMessage({ type: 'cancelInspect', requestId: 1 }), /unexpected field "requestId" in cancelInspect/);
  });

  it('rejects values that are not messages', () => {
    for (const x of [undefined, null, 0, 'ready', true, [], [{ type: 'ready' }]]) rejected(parseFormMessage(x), /object/);
    rejected(parseFormMessage({}), /type/);
    rejected(parseFormMessage({ type: 42 }), /type/);
    rejected(parseFormMessage({ type: 'train' }), /unknown message type "train"/);
    rejected(parseFormMessage({ type: 'history' }), /unknown/);
  });

  it('rejects extra fields and wrong field types', () => {
    rejected(parseFormMessage({ type: 'ready', extra: 1 }), /unexpected field "extra"/);
    rejected(parseFormMessage({ type: 'pickDataFile', path: '/etc/passwd' }), /unexpected field "path"/);
    rejected(parseFormMessage({ type: 'error' }), /message/);
    rejected(parseFormMessage({ type: 'error', message: 'x'.repeat(5000) }), /4096/);
    rejected(parseFormMessage({ type: 'start', config: {}, task: 'dates', run: 'x' }), /unexpected field "run"/);
  });

  it('rejects start without exactly one dataset', () => {
    rejected(parseFormMessage({ type: 'start', config: {} }), /exactly one/);
    rejected(parseFormMessage({ type: 'start', config: {}, task: 'dates', dataPath: '/a.tsv' }), /exactly one/);
    rejected(parseFormMessage({ type: 'start', config: {}, task: 7 }), /task must be a string/);
    rejected(parseFormMessage({ type: 'start', config: {}, dataPath: ['a'] }), /dataPath must be a string/);
    rejected(parseFormMessage({ type: 'start', config: {}, task: '' }), /empty/);
  });

  it('rejects a config that is not a flat object of scalars', () => {
    rejected(parseFormMessage({ type: 'start', config: null, task: 'dates' }), /config must be an object/);
    rejected(parseFormMessage({ type: 'start', config: [1], task: 'dates' }), /config must be an object/);
    rejected(parseFormMessage({ type: 'start', config: 'hiddenSize=3', task: 'dates' }), /config must be an object/);
    rejected(parseFormMessage({ type: 'start', config: { hiddenSize: { $gt: 1 } }, task: 'dates' }), /hiddenSize/);
    rejected(parseFormMessage({ type: 'start', config: { cell: 'x'.repeat(300) }, task: 'dates' }), /cell/);
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
    rejected(parseFormMessage({ type: 'start', config: many, task: 'dates' }), /too many/);
  });

  it('does not let __proto__ in a parsed JSON message change any prototype', () => {
    const hostile = JSON.parse('{"type":"start","task":"dates","config":{"__proto__":{"polluted":true},"hiddenSize":8}}');
    const result = parseFormMessage(hostile);
    // Either rejected or accepted: the prototype of plain objects stays clean.
    if (result.ok) assert.equal(Object.getPrototypeOf((result.value as { config: object }).config), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('never throws on 20 000 random values, and what it accepts is well formed', () => {
    const r = makeRng(12345);
    let acceptedCount = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = randomValue(r);
      const result = parseFormMessage(x);
      if (result.ok) {
        acceptedCount++;
        assert.ok(['ready', 'pickDataFile', 'start', 'inspect', 'cancelInspect', 'error'].includes(result.value.type));
        if (result.value.type === 'start' || result.value.type === 'inspect') assert.ok((result.value.task === undefined) !== (result.value.dataPath === undefined));
      } else assert.equal(typeof result.error, 'string');
    }
    assert.ok(acceptedCount > 0, 'some random values are valid messages (the generator reaches them)');
  });
});

describe('webview protocol: dashboard and attention → host', () => {
  it('accept ready and error only', () => {
    for (const parse of [parseDashboardMessage, parseAttentionMessage]) {
      assert.deepEqual(accepted(parse({ type: 'ready' })), { type: 'ready' });
      assert.deepEqual(accepted(parse({ type: 'error', message: 'x' })), { type: 'error', message: 'x' });
      rejected(parse({ type: 'start', config: {}, task: 'dates' }), /unknown message type/);
      rejected(parse({ type: 'pickDataFile' }), /unknown message type/);
      rejected(parse({ type: 'ready', runDir: '/x' }), /unexpected field/);
      rejected(parse(null), /object/);
    }
  });

  it('never throw on random values', () => {
    const r = makeRng(99);
    for (let i = 0; i < 10_000; i++) {
      const x = randomValue(r);
      for (const parse of [parseDashboardMessage, parseAttentionMessage, parseDashboardState, parseAttentionState, parseTranslation]) {
        const result = (parse as (x: unknown) => Parsed<unknown>)(x);
        assert.equal(typeof result.ok, 'boolean');
      }
    }
  });
});

describe('webview protocol: saved state', () => {
  it('dashboard state needs a run directory', () => {
    assert.deepEqual(accepted(parseDashboardState({ runDir: '/runs/a', extra: 1 })), { runDir: '/runs/a' });
    rejected(parseDashboardState({ runDir: '' }), /runDir/);
    rejected(parseDashboardState({ runDir: 3 }), /runDir/);
    rejected(parseDashboardState(undefined), /object/);
  });

  it('attention state holds well-formed items (an older { translation } state becomes one item)', () => {
    const legacy = accepted(parseAttentionState({ translation }));
    assert.deepEqual(legacy.items.map(i => i.translation), [translation]);
    const item = { id: 'a', label: 'x', origin: 'typed', translation };
    assert.deepEqual(accepted(parseAttentionState({ items: [item], selectedId: 'a' })), { items: [item], selectedId: 'a' });
    rejected(parseAttentionState({}), /items/);
    rejected(parseAttentionState({ items: [{ ...item, origin: 'elsewhere' }] }), /origin/);
  });

  it('translations without attention (empty rows) are valid', () => {
    accepted(parseTranslation({ ...translation, attention: [[], []] }));
    accepted(parseTranslation({ ...translation, attention: [] }));
  });

  it('rejects translations whose shapes disagree', () => {
    rejected(parseTranslation({ ...translation, probabilities: [0.9] }), /one number in \[0, 1\] per output token/);
    rejected(parseTranslation({ ...translation, probabilities: [0.9, 1.5] }), /\[0, 1\]/);
    rejected(parseTranslation({ ...translation, attention: [[0.5, 0.5], [0.5, 0.5]] }), /3 columns/);
    rejected(parseTranslation({ ...translation, attention: [[0.1, 0.2, 0.7]] }), /one row per output token/);
    rejected(parseTranslation({ ...translation, attention: [[0.1, NaN, 0.7], [0, 0, 1]] }), /finite/);
    rejected(parseTranslation({ ...translation, tokens: 'ab' }), /tokens/);
    rejected(parseTranslation({ ...translation, source: undefined }), /source/);
    rejected(parseTranslation({ ...translation, candidates: [1] }), /candidates/);
  });
});

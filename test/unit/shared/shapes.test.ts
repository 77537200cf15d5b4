/** The shapes registry, the shape-aware metric labels and the shape validation rules. */
import { strict as assert } from 'assert';
import { CONFIG_FIELDS, DEFAULT_CONFIG, validateConfig } from '../../../src/shared/config';
import { metricDefinition, metricLabel } from '../../../src/shared/metrics';
import { ignoredSettings, resolvedShape, SHAPE_NAMES, SHAPES } from '../../../src/shared/shapes';

describe('shapes', () => {
  it('has every resolved shape of the shape setting, each with known metrics and settings', () => {
    const field = CONFIG_FIELDS.find(f => f.key === 'shape');
    assert.ok(field && field.type === 'enum');
    assert.deepEqual([...field.options].filter(o => o !== 'auto').sort(), [...SHAPE_NAMES].sort());
    for (const name of SHAPE_NAMES) {
      const shape = SHAPES[name];
      assert.equal(shape.shape, name);
      for (const key of shape.metrics) assert.ok(metricDefinition(key), `${name}: ${key}`);
      for (const key of shape.ignored) assert.ok(CONFIG_FIELDS.some(f => f.key === key), `${name}: ${key}`);
    }
    assert.equal(CONFIG_FIELDS.filter(f => f.group === 'model')[0].key, 'shape', 'shape comes first in the model group');
    assert.ok(SHAPES.classify.metrics.includes('macroF1') && !SHAPES.seq2seq.metrics.includes('macroF1'));
  });

  it('resolves auto (and runs saved before the shapes) to seq2seq', () => {
    assert.equal(resolvedShape('auto'), 'seq2seq');
    assert.equal(resolvedShape(undefined), 'seq2seq');
    assert.equal(resolvedShape('tag'), 'tag');
  });

  it('labels metrics by shape and unit', () => {
    assert.equal(metricLabel('exactMatch', 'classify'), 'Accuracy');
    assert.equal(metricLabel('tokenAccuracy', 'tag'), 'Tag accuracy');
    assert.equal(metricLabel('exactMatch'), 'Exact match');
    assert.equal(metricLabel('wer', 'phoneme'), 'PER');
    assert.equal(metricLabel('wer', 'phoneme', 'generate'), 'PER');
    assert.equal(metricLabel('exactMatch', 'word', 'classify'), 'Accuracy');
  });

  it('refuses what a shape cannot do and names the ignored settings', () => {
    const errors = (partial: object) => validateConfig(partial).errors.map(e => e.key);
    assert.deepEqual(errors({ shape: 'classify', objective: 'rl' }), ['objective']);
    assert.deepEqual(errors({ shape: 'tag', adversarial: 'fgm' }), ['adversarial']);
    assert.deepEqual(errors({ shape: 'tag', reverseSource: true }), ['reverseSource']);
    assert.deepEqual(errors({ shape: 'classify', reverseSource: true }), []);
    assert.deepEqual(errors({ shape: 'generate', inputFeeding: true }), ['inputFeeding']);
    assert.deepEqual(errors({ shape: 'seq2seq', objective: 'rl' }), []);
    assert.deepEqual(errors({ shape: 'tag', encoderType: 'sliced' }), ['encoderType']);
    assert.deepEqual(errors({ shape: 'classify', encoderType: 'sliced' }), ['classifyPooling']);
    assert.deepEqual(errors({ shape: 'classify', encoderType: 'sliced', classifyPooling: 'last' }), []);
    const { config } = validateConfig({ shape: 'classify', decoderLayers: 2, attention: 'dot', encoderLayers: 2 });
    assert.deepEqual(ignoredSettings(config, DEFAULT_CONFIG), ['decoderLayers', 'attention']);
  });
});

/** The train form's shape rule: which fields a shape leaves unused (disabled with a reason), auto on a task, invalid fields kept enabled. */
import { strict as assert } from 'assert';
import { CONFIG_FIELDS, validateConfig } from '../../../src/shared/config';
import { SHAPES } from '../../../src/shared/shapes';
import { effectiveShape, SHAPE_FIELD_REASONS, unusedFields } from '../../../webview/form/shapeFields';

describe('train form: fields a shape does not use', () => {
  it('disables the decoder settings for classify and tag, with the shape\'s reason, and none of the others', () => {
    for (const shape of ['classify', 'tag'] as const) {
      const unused = unusedFields(shape);
      for (const key of ['attention', 'beamSize', 'decoderLayers', 'teacherForcing', 'lengthPenalty']) assert.equal(unused.get(key), SHAPE_FIELD_REASONS[shape], `${shape}: ${key}`);
      for (const key of ['hiddenSize', 'cell', 'learningRate', 'bidirectional', 'shape']) assert.equal(unused.has(key), false, `${shape}: ${key} is used`);
    }
    assert.equal(unusedFields('classify').has('classifyPooling'), false, 'classify pools');
    assert.equal(unusedFields('tag').has('classifyPooling'), true);
    assert.equal(unusedFields('tag').has('targetTokenizer'), true, 'tags are split at spaces');
    assert.deepEqual([...unusedFields('seq2seq').keys()], ['classifyPooling']);
    assert.ok(unusedFields('generate').has('encoderLayers'), 'generate has no source encoder');
    // Every key the registry names is a field of the form.
    const keys = new Set(CONFIG_FIELDS.map(f => f.key as string));
    for (const def of Object.values(SHAPES)) for (const key of def.ignored) assert.ok(keys.has(key), key);
  });

  it('reads auto as the chosen task\'s shape, and as undecided for a file', () => {
    assert.equal(effectiveShape('tag', 'classify'), 'tag');
    assert.equal(effectiveShape('auto', 'classify'), 'classify');
    assert.equal(effectiveShape('auto', undefined), undefined);
    assert.equal(unusedFields(effectiveShape('auto', undefined)).size, 0);
    assert.equal(effectiveShape('bogus', 'tag'), undefined);
  });

  it('keeps an invalid field enabled so that it can be fixed (objective rl with classify)', () => {
    const { errors } = validateConfig({ shape: 'classify', objective: 'rl' });
    const byKey = new Map(errors.map(e => [e.key as string, e.message]));
    assert.ok(byKey.has('objective'), 'the engine refuses rl for classify');
    assert.equal(unusedFields('classify', byKey).has('objective'), false);
    assert.equal(unusedFields('classify').has('objective'), true);
  });
});

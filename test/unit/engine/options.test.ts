/**
 * Every configuration option is reachable from `--set key=value` and works: for each field
 * and, for enums, each choice, parse the CLI assignment, train a tiny run with it, and check
 * that the run records the value and ends with finite metrics.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONFIG_FIELDS, DEFAULT_CONFIG, parseSetting, Seq2SeqConfig } from '../../../src/shared/config';
import { resolvedShape, SHAPES } from '../../../src/shared/shapes';
import { trainRun } from '../../../src/engine/train/trainer';
import { RunDirectory } from '../../../src/engine/train/runDir';
import { useTestBackend } from './helpers';

const BASE: Partial<Seq2SeqConfig> = { taskSize: 60, embeddingSize: 6, hiddenSize: 8, batchSize: 16, epochs: 1, evalSamples: 4, maxDecodeLength: 14, patience: 0 };

/** Non-default values to try per field (enums: every choice). */
const NUMERIC_VALUES: Partial<Record<keyof Seq2SeqConfig, string>> = {
  minFrequency: '2', maxVocabSize: '12', maxSourceLength: '9', maxTargetLength: '9', validFraction: '0.2', testFraction: '0.2',
  maxBadLineFraction: '0.5', taskSize: '50', embeddingSize: '5', hiddenSize: '6', encoderHiddenSize: '5', encoderLayers: '2', decoderLayers: '2',
  dropout: '0.3', attentionSize: '5', batchSize: '8', epochs: '2', learningRate: '0.01', warmupSteps: '3', lrDecayRate: '0.5',
  labelSmoothing: '0.1', teacherForcing: '0.5', samplingDecay: '10', samplingFloor: '0.3', clipNorm: '1', evalEverySteps: '2',
  evalSamples: '3', patience: '1', targetExactMatch: '0.5', seed: '7', maxMinutes: '0.001', workers: '2', beamSize: '3', lengthPenalty: '0.6', maxDecodeLength: '5', subwordVocabSize: '30', plateauPatience: '1', plateauFactor: '0.3',
  sliceCount: '3', sliceLevels: '1', adversarialEpsilon: '0.2', gradientPenaltyWeight: '2', annealFraction: '0.5',
  rlSamples: '2', rlMixWeight: '0.5',
};
const COMPANIONS: Record<string, Partial<Seq2SeqConfig>> = {
  'scheduledSampling=exponential': { samplingDecay: 0.99 },
  'inputFeeding=true': { attention: 'additive' },
  'subwordVocabSize=30': { sourceTokenizer: 'subword', targetTokenizer: 'subword' },
  'sliceCount=3': { encoderType: 'sliced' },
  'sliceLevels=1': { encoderType: 'sliced' },
  'adversarialEpsilon=0.2': { adversarial: 'fgm' },
  'gradientPenaltyWeight=2': { adversarial: 'penalty' },
  'rlSamples=2': { objective: 'rl' },
  'rlMixWeight=0.5': { objective: 'rl' },
  'rlReward=bleu': { objective: 'rl' },
  'rlReward=chrf': { objective: 'rl' },
  'rlReward=exact': { objective: 'rl' },
  'rlReward=negEditDistance': { objective: 'rl' },
  'classifyPooling=mean': { shape: 'classify' },
  'classifyPooling=max': { shape: 'classify' },
  'classifyPooling=last': { shape: 'classify' },
};
/** The shapes' runs train on a task of that shape (reverse is seq2seq; as tags its targets are one token). */
const DATA: Record<string, { task: string }> = {
  'shape=classify': { task: 'syllables' },
  'shape=tag': { task: 'pinyin-tag' },
  'shape=generate': { task: 'words' },
  'classifyPooling=mean': { task: 'syllables' },
  'classifyPooling=max': { task: 'syllables' },
  'classifyPooling=last': { task: 'syllables' },
};

function assignments(): string[] {
  const list: string[] = [];
  for (const field of CONFIG_FIELDS) {
    if (field.type === 'enum') for (const option of field.options) list.push(`${field.key}=${option}`);
    else if (field.type === 'bool') list.push(`${field.key}=${!DEFAULT_CONFIG[field.key]}`);
    else {
      const value = NUMERIC_VALUES[field.key];
      assert.ok(value !== undefined, `no test value for ${field.key}`);
      list.push(`${field.key}=${value}`);
    }
  }
  return list;
}

describe('every option works from --set', function () {
  this.timeout(600_000);
  let backend: string;
  let root: string;
  before(async () => {
    backend = await useTestBackend();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-options-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('covers every field of the schema', () => {
    const keys = new Set(assignments().map(a => a.split('=')[0]));
    for (const field of CONFIG_FIELDS) assert.ok(keys.has(field.key), field.key);
  });

  for (const assignment of assignments()) {
    it(assignment, async () => {
      const { key, value } = parseSetting(assignment);
      const config = { ...BASE, ...COMPANIONS[assignment], [key]: value };
      const dir = path.join(root, assignment.replace(/[^a-zA-Z0-9]/g, '_'));
      const result = await trainRun({ runDir: dir, data: DATA[assignment] ?? { task: 'reverse' }, config, backend });
      const saved = new RunDirectory(dir).readConfig().config as unknown as Record<string, unknown>;
      // A new run records its decided shape: auto on reverse (a seq2seq task) is seq2seq.
      assert.deepEqual(saved[key], assignment === 'shape=auto' ? 'seq2seq' : value);
      // The metrics of the run's shape are finite (the others are NaN: exposure without a decoder, macro-F1 without labels).
      for (const metric of SHAPES[resolvedShape(result.shape)].metrics) assert.ok(Number.isFinite(result.metrics[metric]), `${metric}: ${JSON.stringify(result.metrics)}`);
    });
  }

  it('rejects unknown keys and bad values with the key named', () => {
    assert.throws(() => parseSetting('hiddenSise=3'), /unknown setting "hiddenSise"/);
    assert.throws(() => parseSetting('cell'), /key=value/);
    assert.throws(() => parseSetting('dropout=lots'), /dropout must be a number/);
    assert.throws(() => parseSetting('bidirectional=maybe'), /true or false/);
  });
});

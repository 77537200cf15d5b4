/**
 * The RNN shapes of seed 002 (one2many, many2one, many2many ×2) as the lab trains them: what
 * each is, its data format, the metrics that mean something for it, the view that shows its
 * predictions, and the settings it ignores. Read by the engine (validation, start-up notes), the
 * CLI, the form and the result views. Nothing here imports `vscode` or TensorFlow.
 */
import type { ResolvedShape, Seq2SeqConfig, ShapeType } from './config';
import type { MetricKey } from './metrics';

export interface ShapeDefinition {
  shape: ResolvedShape;
  /** Short name for menus. */
  label: string;
  /** One line: what maps to what, in seed 002's terms. */
  description: string;
  /** How a data file's line looks for this shape. */
  dataFormat: string;
  /** The evaluation metrics that apply (the others are NaN or meaningless for this shape), in display order. */
  metrics: readonly MetricKey[];
  /** How predictions are shown: token diffs, a confusion matrix of labels, or source tokens coloured by tag. */
  view: 'diffs' | 'confusion' | 'tags';
  /** Settings of a part this shape does not have: accepted, recorded, and without effect. */
  ignored: ReadonlyArray<keyof Seq2SeqConfig>;
}

/** Settings that only the decoder (and decoding) reads. */
const DECODER_SETTINGS: ReadonlyArray<keyof Seq2SeqConfig> = [
  'decoderLayers', 'attention', 'attentionSize', 'inputFeeding', 'bridge', 'copyPrior',
  'teacherForcing', 'scheduledSampling', 'samplingDecay', 'samplingFloor',
  'objective', 'rlReward', 'rlSamples', 'rlMixWeight', 'beamSize', 'lengthPenalty', 'maxDecodeLength',
];

/** Settings that only the source encoder reads (generate has a bag of prompt embeddings instead). */
const ENCODER_SETTINGS: ReadonlyArray<keyof Seq2SeqConfig> = [
  'encoderHiddenSize', 'encoderLayers', 'bidirectional', 'reverseSource', 'encoderType', 'sliceCount', 'sliceLevels', 'attention', 'attentionSize',
];

const SEQUENCE_METRICS: readonly MetricKey[] = [
  'exactMatch', 'tokenAccuracy', 'bleu', 'chrf', 'cer', 'wer', 'loss', 'perplexity',
  'teacherForcedAccuracy', 'freeRunAccuracy', 'freeRunLoss', 'exposureGap', 'reward',
];

export const SHAPES: Readonly<Record<ResolvedShape, ShapeDefinition>> = {
  seq2seq: {
    shape: 'seq2seq',
    label: 'Sequence to sequence',
    description: 'Many to many: an encoder reads the source, a decoder writes the target (translation).',
    dataFormat: 'source<TAB>target',
    metrics: SEQUENCE_METRICS,
    view: 'diffs',
    ignored: ['classifyPooling'],
  },
  classify: {
    shape: 'classify',
    label: 'Classify',
    description: 'Many to one: the encoder reads the text, its pooled states give one label (text or sentiment classification).',
    dataFormat: 'text<TAB>label',
    metrics: ['exactMatch', 'macroF1', 'loss', 'perplexity'],
    view: 'confusion',
    ignored: DECODER_SETTINGS,
  },
  tag: {
    shape: 'tag',
    label: 'Tag',
    description: 'Aligned many to many: one label per source token, read from the encoder output at that token (sequence labelling).',
    dataFormat: 'tok tok tok<TAB>TAG TAG TAG (as many tags as source tokens)',
    metrics: ['tokenAccuracy', 'macroF1', 'exactMatch', 'loss', 'perplexity'],
    view: 'tags',
    ignored: [...DECODER_SETTINGS, 'classifyPooling', 'targetTokenizer'],
  },
  generate: {
    shape: 'generate',
    label: 'Generate',
    description: 'One to many: a label or short prompt in, a sequence out; the prompt\'s mean embedding starts the decoder and joins every decoder input.',
    dataFormat: 'prompt<TAB>output',
    metrics: SEQUENCE_METRICS,
    view: 'diffs',
    ignored: [...ENCODER_SETTINGS, 'classifyPooling'],
  },
};

/** Every resolved shape, in menu order. */
export const SHAPE_NAMES: readonly ResolvedShape[] = ['seq2seq', 'classify', 'tag', 'generate'];

/**
 * The shape a configuration trains. `auto` is decided when a run is created (the task's shape,
 * or from the data) and recorded; a run saved before shapes existed has `auto` and is seq2seq.
 */
export function resolvedShape(shape: ShapeType | undefined): ResolvedShape {
  return shape === undefined || shape === 'auto' ? 'seq2seq' : shape;
}

/** The ignored settings of `config`'s shape that differ from `defaults` (start-up notes name them). */
export function ignoredSettings(config: Seq2SeqConfig, defaults: Seq2SeqConfig): Array<keyof Seq2SeqConfig> {
  return SHAPES[resolvedShape(config.shape)].ignored.filter(key => config[key] !== defaults[key]);
}

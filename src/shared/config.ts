/**
 * The one configuration schema of Seq2Seq Lab.
 *
 * The same table drives the engine's validation, the CLI's `--set key=value`, and the
 * hyperparameter form in the extension (labels, defaults, ranges, help text). Nothing here
 * imports `vscode` or TensorFlow: host, engine and webviews all import it.
 *
 * Over 400 lines on purpose: it is one schema — each setting's documented field, its default,
 * its row in CONFIG_FIELDS, the checks those rows drive and the presets built from them — and
 * adding a setting means touching each part; kept in one file so none is forgotten.
 */
import { editDistance } from './scoring/simple';

export type CellType = 'rnn' | 'gru' | 'lstm' | 'indrnn';
export type ResidualType = 'none' | 'residual' | 'dense';
export type AttentionType = 'none' | 'additive' | 'dot' | 'general';
export type BridgeType = 'dense' | 'zeros';
export type TokenizerType = 'auto' | 'char' | 'word' | 'cjk' | 'subword';
export type OptimizerType = 'adam' | 'sgd' | 'rmsprop';
export type LrDecayType = 'none' | 'exponential' | 'inverse-sqrt' | 'plateau';
export type ScheduledSamplingType = 'none' | 'linear' | 'exponential' | 'inverse-sigmoid';
export type EarlyStoppingMetric = 'exactMatch' | 'tokenAccuracy' | 'bleu' | 'chrf' | 'cer' | 'wer' | 'loss' | 'reward';
export type BackendName = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type EncoderType = 'standard' | 'sliced';
export type AdversarialType = 'none' | 'fgm' | 'penalty';
export type ObjectiveType = 'xent' | 'rl';
export type RewardType = 'bleu' | 'chrf' | 'exact' | 'negEditDistance';
/**
 * What a run maps to what (seed 002, the RNN shapes): `seq2seq` many-to-many encoder-decoder;
 * `classify` many-to-one (a sequence in, one label out); `tag` aligned many-to-many (one label
 * per source token); `generate` one-to-many (a label or short prompt in, a sequence out);
 * `auto`: the task's shape, or for a data file decided from the data (see shapes.ts).
 */
export type ShapeType = 'auto' | 'seq2seq' | 'classify' | 'tag' | 'generate';
/** A shape once `auto` is decided. */
export type ResolvedShape = Exclude<ShapeType, 'auto'>;
/** classify: how the encoder's outputs become one vector (the last state, or the mean or max over the source). */
export type PoolingType = 'last' | 'mean' | 'max';

/** Every hyperparameter of a run. Defaults train `dates` to ≥ 99 % exact match in minutes. */
export interface Seq2SeqConfig {
  // ---- data ----
  /** How source text is split into tokens: characters, words (punctuation split), words with each Han character its own token, subwords (BPE trained on the training split), or `auto` (the task's choice; for files, decided from the data). */
  sourceTokenizer: TokenizerType;
  /** How target text is split into tokens (same choices as the source). */
  targetTokenizer: TokenizerType;
  /** Size of each side's subword (BPE) vocabulary, specials included (0 = auto: scaled to the corpus). */
  subwordVocabSize: number;
  /** Lowercase both sides before tokenizing. */
  lowercase: boolean;
  /** Tokens seen fewer times than this in the training split become `<unk>`. */
  minFrequency: number;
  /** Largest vocabulary per side, special tokens included (0 = unlimited). */
  maxVocabSize: number;
  /** Pairs whose source has more tokens than this are left out (reported, not silently dropped). */
  maxSourceLength: number;
  /** Pairs whose target has more tokens than this are left out (reported). */
  maxTargetLength: number;
  /** Fraction of pairs held out for validation. */
  validFraction: number;
  /** Fraction of pairs held out for the final test. */
  testFraction: number;
  /** Largest fraction of malformed lines in a data file before loading fails. */
  maxBadLineFraction: number;
  /** Number of pairs a generated built-in task produces (0 = the task's default). */
  taskSize: number;

  // ---- model ----
  /**
   * The RNN shape (seed 002): seq2seq (encoder-decoder), classify (encoder → pooled state →
   * softmax over labels), tag (a softmax over tags at every encoder output), generate (a prompt's
   * bag of embeddings → the decoder). `auto`: the task's shape; for a data file seq2seq unless the
   * data is clearly tagging or classification. A new run records the decided shape.
   */
  shape: ShapeType;
  /**
   * classify: the sentence vector the label is read from — `last`: the final encoder state
   * (both directions' finals when bidirectional), `mean` / `max`: over the encoder outputs of
   * the real (unpadded) source positions.
   */
  classifyPooling: PoolingType;
  /** Size of the token embeddings, both sides. */
  embeddingSize: number;
  /** Recurrent cell of encoder and decoder. */
  cell: CellType;
  /** Hidden units per RNN layer (per direction for a bidirectional encoder). */
  hiddenSize: number;
  /** Hidden units per encoder layer (per direction when bidirectional); 0 = hiddenSize. */
  encoderHiddenSize: number;
  /** Stacked encoder layers (1–8). */
  encoderLayers: number;
  /** Stacked decoder layers (1–8). */
  decoderLayers: number;
  /** Connections between stacked layers: none, residual (previous layer), dense (sum of all lower layers; "ResD" in Britz et al. 2017). */
  residual: ResidualType;
  /** Gate each stacked layer's output against its input (highway networks). */
  highway: boolean;
  /** Dropout rate on embeddings, between layers and before the output projection. */
  dropout: number;
  /** Encoder reads the source in both directions and concatenates the states. */
  bidirectional: boolean;
  /** Feed the source reversed, keep the target (Sutskever et al. 2014). */
  reverseSource: boolean;
  /** Attention over the encoder states: none, additive (Bahdanau 2015), dot or general (Luong 2015). */
  attention: AttentionType;
  /** Units of the additive attention's hidden layer (0 = hiddenSize). */
  attentionSize: number;
  /** Feed the previous attentional vector into the next decoder step (Luong 2015). */
  inputFeeding: boolean;
  /** Decoder initial state: tanh(linear(final encoder states)) or zeros. */
  bridge: BridgeType;
  /** Add a learned prior on target tokens that appear in the source (seed 001): logits + s⊙x + t. */
  copyPrior: boolean;
  /**
   * Encoder shape: one RNN over the whole source, or a sliced RNN (Yu & Liu 2018, seed 002):
   * the source is cut into sliceCount^sliceLevels slices that run in parallel, then an RNN
   * runs over each group of sliceCount last states, level by level. Attention reads the
   * lowest level's outputs (every source token); the decoder starts from the top level.
   */
  encoderType: EncoderType;
  /** Sliced encoder: slices per level (K). */
  sliceCount: number;
  /** Sliced encoder: levels of slicing (n); the lowest level has K^n slices. */
  sliceLevels: number;

  // ---- training ----
  /** Sentence pairs per batch. */
  batchSize: number;
  /** Passes over the training split. */
  epochs: number;
  /** Optimizer. */
  optimizer: OptimizerType;
  /** Peak learning rate. */
  learningRate: number;
  /** Steps of linear learning-rate warm-up. */
  warmupSteps: number;
  /** Learning-rate decay after warm-up. */
  lrDecay: LrDecayType;
  /** For plateau decay: evaluations without a clear improvement of the early-stopping metric before the rate is cut. */
  plateauPatience: number;
  /** For plateau decay: multiply the rate by this at each cut. */
  plateauFactor: number;
  /** For exponential decay: multiply the rate by this every epoch. */
  lrDecayRate: number;
  /**
   * Share of the run's budget (its time limit, or its epochs when they are set) at the end
   * over which the learning rate falls linearly to 0, on top of any decay (0 = off).
   */
  annealFraction: number;
  /** Label smoothing ε of the cross-entropy. */
  labelSmoothing: number;
  /** Probability of feeding the reference token (1 = pure teacher forcing) when no schedule is set. */
  teacherForcing: number;
  /** Decay of the teacher-forcing probability over training (Bengio et al. 2015). */
  scheduledSampling: ScheduledSamplingType;
  /** Schedule speed: steps to reach the floor (linear), decay per step base (exponential), k (inverse sigmoid). */
  samplingDecay: number;
  /** Lowest teacher-forcing probability a schedule reaches. */
  samplingFloor: number;
  /**
   * Adversarial training on the embeddings (seed 001: 对抗训练 (梯度惩罚)): fgm adds the loss
   * at embeddings perturbed by ε·g/‖g‖ along the loss gradient g (Miyato et al. 2017);
   * penalty adds λ·‖∇ₑL‖² (the gradient penalty), through a finite-difference Hessian-vector product.
   */
  adversarial: AdversarialType;
  /** FGM: size ε of each sentence's embedding perturbation (L2 norm over its tokens). */
  adversarialEpsilon: number;
  /** Penalty: weight λ of the squared embedding-gradient norm (per target token). */
  gradientPenaltyWeight: number;
  /**
   * What training minimises (seed 001: 强化学习, reinforcement learning against exposure
   * bias): xent, the cross-entropy of the references under teacher forcing; rl, self-critical
   * sequence training (Rennie et al. 2017): −(r(yˢ) − r(ŷ))·Σₜ log p(yˢₜ) for sequences yˢ
   * sampled from the model, the greedy decode ŷ as baseline. Meant for fine-tuning a trained run.
   */
  objective: ObjectiveType;
  /** RL: the sentence-level reward r: BLEU or chrF (0–1), exact match (0/1), or minus the token edit distance to the reference. */
  rlReward: RewardType;
  /** RL: sequences sampled per source at each step. */
  rlSamples: number;
  /** RL: share w of cross-entropy mixed in: loss = (1 − w)·L_rl + w·L_xent. */
  rlMixWeight: number;
  /** Global-norm gradient clipping threshold (0 = off). */
  clipNorm: number;
  /** Evaluate on the validation split every this many steps (0 = once per epoch). */
  evalEverySteps: number;
  /** Validation pairs used per evaluation (0 = all). */
  evalSamples: number;
  /** Metric that picks the best checkpoint and drives early stopping. */
  earlyStoppingMetric: EarlyStoppingMetric;
  /** Evaluations without improvement before stopping (0 = never stop early). */
  patience: number;
  /** Stop once this validation exact match (0–1) is reached (0 = off). */
  targetExactMatch: number;
  /** Seed of every random choice: split, initialisation, shuffling, dropout, sampling. */
  seed: number;
  /** Wall-clock limit of the run in minutes (0 = none); the run ends with a checkpoint. */
  maxMinutes: number;
  /**
   * Training threads: each step's batch is split over this many (data-parallel, gradients
   * averaged by target tokens; same result as one). 0 = auto: 2 on the WASM and cpu backends
   * when the machine has two or more cores, else 1 (tfjs-node already uses every core).
   */
  workers: number;

  // ---- decoding ----
  /** Beam width for evaluation and translation (1 = greedy). */
  beamSize: number;
  /** GNMT length penalty α (0 = none). */
  lengthPenalty: number;
  /** Longest output a decoder may produce. */
  maxDecodeLength: number;
}

type Key = keyof Seq2SeqConfig;

interface FieldBase<K extends Key> {
  key: K;
  group: 'data' | 'model' | 'training' | 'decoding';
  label: string;
  help: string;
}
export interface IntField<K extends Key = Key> extends FieldBase<K> {
  type: 'int';
  min: number;
  max: number;
}
export interface FloatField<K extends Key = Key> extends FieldBase<K> {
  type: 'float';
  min: number;
  max: number;
}
export interface BoolField<K extends Key = Key> extends FieldBase<K> {
  type: 'bool';
}
export interface EnumField<K extends Key = Key> extends FieldBase<K> {
  type: 'enum';
  options: readonly string[];
}
export type FieldSpec = IntField | FloatField | BoolField | EnumField;

export const DEFAULT_CONFIG: Readonly<Seq2SeqConfig> = Object.freeze({
  sourceTokenizer: 'auto',
  targetTokenizer: 'auto',
  subwordVocabSize: 0,
  lowercase: false,
  minFrequency: 1,
  maxVocabSize: 0,
  maxSourceLength: 64,
  maxTargetLength: 64,
  validFraction: 0.05,
  testFraction: 0.05,
  maxBadLineFraction: 0.01,
  taskSize: 0,

  shape: 'auto',
  classifyPooling: 'mean',
  embeddingSize: 0,
  cell: 'lstm',
  hiddenSize: 0,
  encoderHiddenSize: 0,
  encoderLayers: 1,
  decoderLayers: 1,
  residual: 'none',
  highway: false,
  dropout: 0,
  bidirectional: true,
  reverseSource: false,
  attention: 'additive',
  attentionSize: 0,
  inputFeeding: false,
  bridge: 'dense',
  copyPrior: false,
  encoderType: 'standard',
  sliceCount: 4,
  sliceLevels: 2,

  batchSize: 0,
  epochs: 0,
  optimizer: 'adam',
  learningRate: 0.005,
  warmupSteps: 0,
  lrDecay: 'plateau',
  plateauPatience: 2,
  plateauFactor: 0.5,
  lrDecayRate: 0.9,
  annealFraction: 0.3,
  labelSmoothing: 0,
  teacherForcing: 1,
  scheduledSampling: 'none',
  samplingDecay: 1000,
  samplingFloor: 0,
  adversarial: 'none',
  adversarialEpsilon: 0.5,
  gradientPenaltyWeight: 1,
  objective: 'xent',
  rlReward: 'bleu',
  rlSamples: 1,
  rlMixWeight: 0,
  clipNorm: 5,
  evalEverySteps: 0,
  evalSamples: 500,
  earlyStoppingMetric: 'loss',
  patience: 6,
  targetExactMatch: 0,
  seed: 1,
  maxMinutes: 0,
  workers: 0,

  beamSize: 1,
  lengthPenalty: 0,
  maxDecodeLength: 0,
});

export const CONFIG_FIELDS: readonly FieldSpec[] = [
  { key: 'sourceTokenizer', group: 'data', type: 'enum', options: ['auto', 'char', 'word', 'cjk', 'subword'], label: 'Source tokenizer', help: 'char: every character a token; word: Unicode words, punctuation split; cjk: words, each Han character its own token; subword: BPE pieces learned from the training split; auto: decided from the data (see the dataset card).' },
  { key: 'targetTokenizer', group: 'data', type: 'enum', options: ['auto', 'char', 'word', 'cjk', 'subword'], label: 'Target tokenizer', help: 'As for the source.' },
  { key: 'subwordVocabSize', group: 'data', type: 'int', min: 0, max: 64000, label: 'Subword vocabulary', help: 'BPE vocabulary per side, specials included; 0 = auto (scaled to the corpus).' },
  { key: 'lowercase', group: 'data', type: 'bool', label: 'Lowercase', help: 'Lowercase source and target before tokenizing.' },
  { key: 'minFrequency', group: 'data', type: 'int', min: 1, max: 1000, label: 'Min token frequency', help: 'Rarer tokens become <unk>.' },
  { key: 'maxVocabSize', group: 'data', type: 'int', min: 0, max: 1000000, label: 'Max vocabulary size', help: 'Per side, special tokens included; 0 = unlimited.' },
  { key: 'maxSourceLength', group: 'data', type: 'int', min: 1, max: 1000, label: 'Max source length', help: 'Longer pairs are left out and counted.' },
  { key: 'maxTargetLength', group: 'data', type: 'int', min: 1, max: 1000, label: 'Max target length', help: 'Longer pairs are left out and counted.' },
  { key: 'validFraction', group: 'data', type: 'float', min: 0, max: 0.5, label: 'Validation fraction', help: 'Share of pairs held out for validation.' },
  { key: 'testFraction', group: 'data', type: 'float', min: 0, max: 0.5, label: 'Test fraction', help: 'Share of pairs held out for the final test.' },
  { key: 'maxBadLineFraction', group: 'data', type: 'float', min: 0, max: 1, label: 'Max bad-line fraction', help: 'Loading fails when more lines than this are malformed.' },
  { key: 'taskSize', group: 'data', type: 'int', min: 0, max: 10000000, label: 'Task size', help: 'Pairs a built-in task generates (g2p: words, each with all its pronunciations); 0 = its default.' },

  { key: 'shape', group: 'model', type: 'enum', options: ['auto', 'seq2seq', 'classify', 'tag', 'generate'], label: 'Shape', help: 'seq2seq: encoder-decoder (many to many); classify: a sequence in, one label out (many to one); tag: one label per source token (aligned many to many); generate: a label or short prompt in, a sequence out (one to many); auto: the task\'s shape, for files decided from the data.' },
  { key: 'classifyPooling', group: 'model', type: 'enum', options: ['mean', 'max', 'last'], label: 'Pooling (classify)', help: 'classify: the sentence vector the label is read from: mean or max over the encoder outputs of the real tokens, or the final encoder state.' },
  { key: 'embeddingSize', group: 'model', type: 'int', min: 0, max: 4096, label: 'Embedding size', help: '0 = auto (from the corpus size). Britz et al.: 256–512 is usually enough; bigger is not always better.' },
  { key: 'cell', group: 'model', type: 'enum', options: ['rnn', 'gru', 'lstm', 'indrnn'], label: 'Cell', help: 'Britz et al. found LSTM > GRU > vanilla RNN for the decoder. IndRNN uses ReLU and a per-unit recurrence.' },
  { key: 'hiddenSize', group: 'model', type: 'int', min: 0, max: 4096, label: 'Hidden size', help: 'Units per layer (per direction when bidirectional); 0 = auto (from the corpus size).' },
  { key: 'encoderHiddenSize', group: 'model', type: 'int', min: 0, max: 4096, label: 'Encoder hidden size', help: 'Units per encoder layer (per direction when bidirectional); 0 = the hidden size. Half the hidden size makes a bidirectional encoder\'s states as wide as the decoder\'s at about half the encoder\'s cost.' },
  { key: 'encoderLayers', group: 'model', type: 'int', min: 1, max: 8, label: 'Encoder layers', help: '2–4 layers are usually enough.' },
  { key: 'decoderLayers', group: 'model', type: 'int', min: 1, max: 8, label: 'Decoder layers', help: '2–4 layers are usually enough.' },
  { key: 'residual', group: 'model', type: 'enum', options: ['none', 'residual', 'dense'], label: 'Residual connections', help: 'dense (ResD) > residual > none, per Britz et al.' },
  { key: 'highway', group: 'model', type: 'bool', label: 'Highway gates', help: 'A learned gate mixes each stacked layer\'s output with its input.' },
  { key: 'dropout', group: 'model', type: 'float', min: 0, max: 0.9, label: 'Dropout', help: 'On embeddings, between layers and before the output layer.' },
  { key: 'bidirectional', group: 'model', type: 'bool', label: 'Bidirectional encoder', help: 'Bidirectional > reversed > plain unidirectional, per Britz et al.' },
  { key: 'reverseSource', group: 'model', type: 'bool', label: 'Reverse source', help: 'Feed the source reversed, keep the target (Sutskever et al. 2014).' },
  { key: 'attention', group: 'model', type: 'enum', options: ['none', 'additive', 'dot', 'general'], label: 'Attention', help: 'additive (Bahdanau) > multiplicative (dot/general, Luong) > none, per Britz et al.' },
  { key: 'attentionSize', group: 'model', type: 'int', min: 0, max: 4096, label: 'Attention size', help: 'Hidden units of additive attention; 0 = hidden size.' },
  { key: 'inputFeeding', group: 'model', type: 'bool', label: 'Input feeding', help: 'Feed the previous attentional vector into the decoder (Luong 2015).' },
  { key: 'bridge', group: 'model', type: 'enum', options: ['dense', 'zeros'], label: 'Decoder initial state', help: 'dense: tanh(linear(final encoder states)); zeros: start from zero.' },
  { key: 'copyPrior', group: 'model', type: 'bool', label: 'Copy prior', help: 'Learned boost for target tokens that occur in the source.' },
  { key: 'encoderType', group: 'model', type: 'enum', options: ['standard', 'sliced'], label: 'Encoder type', help: 'sliced (Yu & Liu 2018): the source is cut into K^n slices run in parallel, then an RNN over each K slices\' last states per level; attention still sees every source token.' },
  { key: 'sliceCount', group: 'model', type: 'int', min: 2, max: 64, label: 'Slices per level (K)', help: 'Sliced encoder: each level groups K states; sources are padded to a multiple of K^n.' },
  { key: 'sliceLevels', group: 'model', type: 'int', min: 1, max: 4, label: 'Slicing levels (n)', help: 'Sliced encoder: n levels above the K^n lowest slices; K^n must be at most 1024.' },

  { key: 'batchSize', group: 'training', type: 'int', min: 0, max: 4096, label: 'Batch size', help: 'Sentence pairs per step; batches are bucketed by length; 0 = auto (from the corpus size).' },
  { key: 'epochs', group: 'training', type: 'int', min: 0, max: 10000, label: 'Epochs', help: 'Passes over the training split; 0 = auto: until early stopping, the time limit or a step budget scaled to the corpus.' },
  { key: 'optimizer', group: 'training', type: 'enum', options: ['adam', 'sgd', 'rmsprop'], label: 'Optimizer', help: 'Adam is the safe default.' },
  { key: 'learningRate', group: 'training', type: 'float', min: 1e-7, max: 10, label: 'Learning rate', help: 'Peak learning rate.' },
  { key: 'warmupSteps', group: 'training', type: 'int', min: 0, max: 1000000, label: 'Warm-up steps', help: 'Linear warm-up from 0 to the peak rate.' },
  { key: 'lrDecay', group: 'training', type: 'enum', options: ['plateau', 'none', 'exponential', 'inverse-sqrt'], label: 'Learning-rate decay', help: 'plateau: × plateau factor when validation stops improving (ReduceLROnPlateau); exponential: × decay rate per epoch; inverse-sqrt: ∝ 1/√step after warm-up.' },
  { key: 'plateauPatience', group: 'training', type: 'int', min: 1, max: 1000, label: 'Plateau patience', help: 'Evaluations without improvement before a plateau cut of the learning rate.' },
  { key: 'plateauFactor', group: 'training', type: 'float', min: 0.01, max: 0.99, label: 'Plateau factor', help: 'The learning rate is multiplied by this at each plateau cut.' },
  { key: 'lrDecayRate', group: 'training', type: 'float', min: 0.01, max: 1, label: 'Decay rate', help: 'Per-epoch factor of exponential decay.' },
  { key: 'annealFraction', group: 'training', type: 'float', min: 0, max: 1, label: 'Anneal to the budget', help: 'Last share of the budget (time limit, or epochs when set) over which the learning rate falls linearly to 0 (budgeted training, Li et al. 2020); 0 = off.' },
  { key: 'labelSmoothing', group: 'training', type: 'float', min: 0, max: 0.5, label: 'Label smoothing', help: 'Share of probability mass spread over all tokens.' },
  { key: 'teacherForcing', group: 'training', type: 'float', min: 0, max: 1, label: 'Teacher forcing', help: 'Probability of feeding the reference token instead of the model\'s own prediction.' },
  { key: 'scheduledSampling', group: 'training', type: 'enum', options: ['none', 'linear', 'exponential', 'inverse-sigmoid'], label: 'Scheduled sampling', help: 'Decay teacher forcing over training against exposure bias (Bengio et al. 2015).' },
  { key: 'samplingDecay', group: 'training', type: 'float', min: 0.0001, max: 10000000, label: 'Sampling decay', help: 'linear: steps to the floor; exponential: base per step (<1); inverse-sigmoid: k.' },
  { key: 'samplingFloor', group: 'training', type: 'float', min: 0, max: 1, label: 'Sampling floor', help: 'Lowest teacher-forcing probability a schedule reaches.' },
  { key: 'adversarial', group: 'training', type: 'enum', options: ['none', 'fgm', 'penalty'], label: 'Adversarial training', help: 'fgm: also train on embeddings perturbed along the loss gradient (Miyato et al. 2017); penalty: loss + λ·‖∇ₑL‖² (gradient penalty). Each costs a second forward/backward pass.' },
  { key: 'adversarialEpsilon', group: 'training', type: 'float', min: 0.0001, max: 100, label: 'FGM ε', help: 'L2 size of each sentence\'s embedding perturbation (fgm).' },
  { key: 'gradientPenaltyWeight', group: 'training', type: 'float', min: 0, max: 1000000, label: 'Gradient penalty λ', help: 'Weight of the squared embedding-gradient norm per target token (penalty).' },
  { key: 'objective', group: 'training', type: 'enum', options: ['xent', 'rl'], label: 'Objective', help: 'xent: cross-entropy of the references (teacher forcing); rl: self-critical sequence training (Rennie et al. 2017), REINFORCE on a sentence reward with the greedy decode as baseline — for fine-tuning a trained run.' },
  { key: 'rlReward', group: 'training', type: 'enum', options: ['bleu', 'chrf', 'exact', 'negEditDistance'], label: 'RL reward', help: 'Sentence-level reward of a sampled output: BLEU or chrF (0–1), exact match (0/1), or minus the token edit distance to the reference.' },
  { key: 'rlSamples', group: 'training', type: 'int', min: 1, max: 64, label: 'RL samples per source', help: 'Sequences sampled from the model per source at each step (rl).' },
  { key: 'rlMixWeight', group: 'training', type: 'float', min: 0, max: 1, label: 'Cross-entropy share (rl)', help: 'w in loss = (1 − w)·L_rl + w·L_xent; 0 = pure RL.' },
  { key: 'clipNorm', group: 'training', type: 'float', min: 0, max: 1000, label: 'Gradient clipping', help: 'Global-norm threshold; 0 = off.' },
  { key: 'evalEverySteps', group: 'training', type: 'int', min: 0, max: 10000000, label: 'Evaluate every (steps)', help: '0 = once per epoch.' },
  { key: 'evalSamples', group: 'training', type: 'int', min: 0, max: 10000000, label: 'Evaluation samples', help: 'Validation pairs per evaluation; 0 = all.' },
  { key: 'earlyStoppingMetric', group: 'training', type: 'enum', options: ['loss', 'exactMatch', 'tokenAccuracy', 'bleu', 'chrf', 'cer', 'wer', 'reward'], label: 'Best-checkpoint metric', help: 'Picks the best checkpoint and drives early stopping; loss (validation cross-entropy) moves from the first evaluation; reward: the mean rlReward of the validation outputs.' },
  { key: 'patience', group: 'training', type: 'int', min: 0, max: 10000, label: 'Patience', help: 'Evaluations without improvement before stopping, counted once the metric has first moved; 0 = never.' },
  { key: 'targetExactMatch', group: 'training', type: 'float', min: 0, max: 1, label: 'Stop at exact match', help: 'Stop once validation exact match reaches this; 0 = off.' },
  { key: 'seed', group: 'training', type: 'int', min: 0, max: 2147483647, label: 'Seed', help: 'Same seed, same run.' },
  { key: 'maxMinutes', group: 'training', type: 'float', min: 0, max: 100000, label: 'Time limit (minutes)', help: '0 = none; the run ends with a checkpoint.' },
  { key: 'workers', group: 'training', type: 'int', min: 0, max: 8, label: 'Training threads', help: 'Split each batch over this many threads (same result as one); 0 = auto: 2 on WASM/cpu with 2+ cores, 1 on tfjs-node, and 1 with the native matmul kernel when hidden ≥ 512 or the target vocabulary ≥ 4,096 (its threads use the cores).' },

  { key: 'beamSize', group: 'decoding', type: 'int', min: 1, max: 64, label: 'Beam width', help: '1 = greedy.' },
  { key: 'lengthPenalty', group: 'decoding', type: 'float', min: 0, max: 5, label: 'Length penalty α', help: 'GNMT ((5+len)/6)^α; 0 = none.' },
  { key: 'maxDecodeLength', group: 'decoding', type: 'int', min: 0, max: 1000, label: 'Max output length', help: 'Longest output the decoder produces; 0 = auto (from the training targets\' lengths).' },
];

const FIELD_BY_KEY = new Map<string, FieldSpec>(CONFIG_FIELDS.map(f => [f.key, f]));

export function fieldSpec(key: string): FieldSpec | undefined {
  return FIELD_BY_KEY.get(key);
}

/** One problem with one field, in words a user can act on. */
export interface ConfigError {
  key: string;
  message: string;
}

/**
 * The templates of the validation messages `checkField` and `validateConfig` write ({0}, {1}…
 * are filled in by a MessageFormat). The engine and the CLI use them in English
 * (`formatMessage`); the train form passes a translating format, so the same rules speak the
 * user's language there (every template has a zh-CN entry in l10n/, checked by a unit test).
 */
export const CONFIG_MESSAGES = {
  notNumber: '{0} must be a number',
  notWholeNumber: '{0} must be a whole number',
  outOfRange: '{0} must be between {1} and {2} (got {3})',
  notBoolean: '{0} must be true or false',
  notOption: '{0} must be one of {1} (got {2})',
  trainingShare: 'validFraction + testFraction must leave at least 10 % for training',
  inputFeedingNeedsAttention: 'inputFeeding needs attention (set attention to additive, dot or general)',
  exponentialSamplingDecay: 'exponential scheduled sampling needs samplingDecay < 1 (the per-step base)',
  tooManySlices: 'the sliced encoder needs sliceCount^sliceLevels ≤ {0} (got {1})',
  rlWithAdversarial: 'objective rl cannot be combined with adversarial training (set adversarial to none)',
  shapeRl: 'shape {0} has no decoder to sample from: objective rl cannot be used (set objective to xent)',
  shapeAdversarial: 'shape {0} has no decoder inputs to perturb: adversarial training is not available for it (set adversarial to none)',
  tagReversed: 'shape tag reads one tag per source token in order: reverseSource cannot be used (set it to false)',
  tagSliced: 'shape tag reads every token\'s own encoder output; the sliced encoder\'s upper levels would go unused (set encoderType to standard)',
  classifySlicedPooling: 'with the sliced encoder, classify reads the sentence from its top level: set classifyPooling to last',
  generateInputFeeding: 'shape generate has no attention: inputFeeding cannot be used (set it to false)',
} as const;

/** Most lowest-level slices a sliced encoder may have (each source is padded to a multiple of it). */
export const MAX_SLICES = 1024;

/** Fills a message template's {0}, {1}… (a translating one may also translate the template). */
export type MessageFormat = (template: string, ...args: Array<string | number>) => string;

/** The English MessageFormat. */
export const formatMessage: MessageFormat = (template, ...args) =>
  template.replace(/\{(\d+)\}/g, (match, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : match));

/** Checks one value against its field; returns an error message or undefined. */
export function checkField(spec: FieldSpec, value: unknown, format: MessageFormat = formatMessage): string | undefined {
  switch (spec.type) {
    case 'int':
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return format(CONFIG_MESSAGES.notNumber, spec.key);
      if (spec.type === 'int' && !Number.isInteger(value)) return format(CONFIG_MESSAGES.notWholeNumber, spec.key);
      if (value < spec.min || value > spec.max) return format(CONFIG_MESSAGES.outOfRange, spec.key, spec.min, spec.max, value);
      return undefined;
    }
    case 'bool':
      return typeof value === 'boolean' ? undefined : format(CONFIG_MESSAGES.notBoolean, spec.key);
    case 'enum':
      return typeof value === 'string' && spec.options.includes(value)
        ? undefined
        : format(CONFIG_MESSAGES.notOption, spec.key, spec.options.join(', '), JSON.stringify(value) ?? 'undefined');
  }
}

/**
 * Merges `partial` over the defaults and validates every field and the cross-field rules.
 * Unknown keys are errors, so a typo never silently falls back to a default.
 */
export function validateConfig(partial: unknown, format: MessageFormat = formatMessage): { config: Seq2SeqConfig; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const config: Seq2SeqConfig = { ...DEFAULT_CONFIG };
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    return { config, errors: [{ key: '', message: 'configuration must be a JSON object' }] };
  }
  for (const [key, value] of Object.entries(partial as Record<string, unknown>)) {
    const spec = FIELD_BY_KEY.get(key);
    if (!spec) {
      errors.push({ key, message: `unknown setting "${key}"${suggest(key)}` });
      continue;
    }
    const problem = checkField(spec, value, format);
    if (problem) errors.push({ key, message: problem });
    else (config as unknown as Record<string, unknown>)[key] = value;
  }
  if (config.validFraction + config.testFraction >= 0.9) {
    errors.push({ key: 'testFraction', message: format(CONFIG_MESSAGES.trainingShare) });
  }
  if (config.attention === 'none' && config.inputFeeding) {
    errors.push({ key: 'inputFeeding', message: format(CONFIG_MESSAGES.inputFeedingNeedsAttention) });
  }
  if (config.scheduledSampling === 'exponential' && config.samplingDecay >= 1) {
    errors.push({ key: 'samplingDecay', message: format(CONFIG_MESSAGES.exponentialSamplingDecay) });
  }
  if (config.encoderType === 'sliced' && config.sliceCount ** config.sliceLevels > MAX_SLICES) {
    errors.push({ key: 'sliceLevels', message: format(CONFIG_MESSAGES.tooManySlices, MAX_SLICES, config.sliceCount ** config.sliceLevels) });
  }
  if (config.objective === 'rl' && config.adversarial !== 'none') {
    errors.push({ key: 'adversarial', message: format(CONFIG_MESSAGES.rlWithAdversarial) });
  }
  // The shapes (shapes.ts): settings that would change what training does but have nothing to
  // act on are refused; settings of a part the shape lacks are ignored (SHAPES[shape].ignored).
  if (config.shape === 'classify' || config.shape === 'tag') {
    if (config.objective === 'rl') errors.push({ key: 'objective', message: format(CONFIG_MESSAGES.shapeRl, config.shape) });
    if (config.adversarial !== 'none') errors.push({ key: 'adversarial', message: format(CONFIG_MESSAGES.shapeAdversarial, config.shape) });
    if (config.shape === 'tag' && config.reverseSource) errors.push({ key: 'reverseSource', message: format(CONFIG_MESSAGES.tagReversed) });
    if (config.shape === 'tag' && config.encoderType === 'sliced') errors.push({ key: 'encoderType', message: format(CONFIG_MESSAGES.tagSliced) });
    if (config.shape === 'classify' && config.encoderType === 'sliced' && config.classifyPooling !== 'last') errors.push({ key: 'classifyPooling', message: format(CONFIG_MESSAGES.classifySlicedPooling) });
  }
  if (config.shape === 'generate' && config.inputFeeding) {
    errors.push({ key: 'inputFeeding', message: format(CONFIG_MESSAGES.generateInputFeeding) });
  }
  return { config, errors };
}

/** Parses a CLI `key=value` into a typed value using the field's type. */
export function parseSetting(assignment: string): { key: string; value: unknown } {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new Error(`--set expects key=value (got "${assignment}")`);
  const key = assignment.slice(0, eq).trim();
  const raw = assignment.slice(eq + 1).trim();
  const spec = FIELD_BY_KEY.get(key);
  if (!spec) throw new Error(`unknown setting "${key}"${suggest(key)}`);
  switch (spec.type) {
    case 'int':
    case 'float': {
      const value = Number(raw);
      if (raw === '' || !Number.isFinite(value)) throw new Error(`${key} must be a number (got "${raw}")`);
      return { key, value };
    }
    case 'bool':
      if (raw === 'true' || raw === '1') return { key, value: true };
      if (raw === 'false' || raw === '0') return { key, value: false };
      throw new Error(`${key} must be true or false (got "${raw}")`);
    case 'enum':
      return { key, value: raw };
  }
}

function suggest(key: string): string {
  const lower = key.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const field of CONFIG_FIELDS) {
    const distance = editDistance([...lower], [...field.key.toLowerCase()]);
    if (distance <= 2 && (!best || distance < best.distance)) best = { key: field.key, distance };
  }
  return best ? ` (did you mean "${best.key}"?)` : '';
}

/** Named starting points shown in the form and accepted by `--preset`. */
export const PRESETS: Record<string, { label: string; description: string; config: Partial<Seq2SeqConfig> }> = {
  demo: {
    label: 'Fast demo',
    description: 'Small bidirectional LSTM with additive attention: learns `dates` in a few minutes on a laptop.',
    config: {},
  },
  britz: {
    label: 'Seeds\' recommendation (Britz et al. 2017)',
    description: 'LSTM, bidirectional encoder, additive attention, 2 layers each side, dense residual connections.',
    config: { cell: 'lstm', bidirectional: true, attention: 'additive', encoderLayers: 2, decoderLayers: 2, residual: 'dense', embeddingSize: 128, hiddenSize: 128, dropout: 0.1, learningRate: 0.002 },
  },
};

/**
 * Defaults that fit the data: the settings a configuration leaves at 0 (= auto) are decided
 * here from the prepared corpus, each with its reason, before the model is built. The
 * resolved configuration is what the run saves, so a resumed run, translate and eval see
 * concrete numbers.
 *
 * The tiers were measured on corpora of several shapes (numbers → words, short EN→DE
 * messages, g2p, dates; see `npm run bench:data` and the README): small corpora get a small
 * model and small batches (more updates per epoch); larger ones a wider model.
 */
import type { Seq2SeqConfig } from '../../shared/config';
import type { RunDecisions } from '../../shared/protocol';
import type { PreparedData } from './dataset';
import { labelShape } from './modelContext';

type Setting = RunDecisions['settings'][number];

/** Training target tokens below which a corpus counts as small / medium. */
const SMALL_CORPUS_TOKENS = 30_000;
const MEDIUM_CORPUS_TOKENS = 300_000;
/** Target vocabularies up to this size (specials included) count as small. */
const SMALL_TARGET_VOCABULARY = 100;
/** Updates an auto-epoch run may take when neither early stopping nor a time limit ends it. */
const STEP_BUDGET = 40_000;
/** With epochs longer than this many steps, evaluate every this many steps instead. */
const MAX_STEPS_BETWEEN_EVALUATIONS = 400;

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
}

/** Resolves every auto (0) setting of `config` from the data; returns the concrete config and the reasons. */
export function resolveAutoSettings(config: Seq2SeqConfig, prepared: Pick<PreparedData, 'train' | 'targetVocab'>): { config: Seq2SeqConfig; settings: Setting[] } {
  const resolved: Seq2SeqConfig = { ...config };
  const settings: Setting[] = [];
  const decide = <K extends keyof Seq2SeqConfig>(key: K, value: Seq2SeqConfig[K], reason: string) => {
    resolved[key] = value;
    settings.push({ key, value: value as number, reason });
  };
  const pairs = prepared.train.length;
  const targetTokens = prepared.train.reduce((sum, p) => sum + p.target.length + 1, 0);
  const tier = targetTokens < SMALL_CORPUS_TOKENS ? 'small' : targetTokens < MEDIUM_CORPUS_TOKENS ? 'medium' : 'large';
  const corpus = `${pairs.toLocaleString('en-US')} training pairs, ${targetTokens.toLocaleString('en-US')} target tokens (${tier} corpus)`;
  // A medium corpus over a small target vocabulary (characters, digits, phonemes) is an easy
  // mapping: the small model learns it as well, two to three times faster (dates: 99.8 % either way).
  const targetVocabulary = prepared.targetVocab.size;
  const smallModel = tier === 'small' || (tier === 'medium' && targetVocabulary <= SMALL_TARGET_VOCABULARY);
  const sizeReason = tier === 'medium' && smallModel ? `${corpus} over ${targetVocabulary} target tokens` : corpus;

  if (config.batchSize === 0) {
    const size = pairs < 2_000 ? 16 : pairs < 20_000 ? 32 : 64;
    decide('batchSize', size, `${corpus}: ${size} pairs per batch gives ${Math.ceil(pairs / size)} updates per epoch`);
  }
  if (config.embeddingSize === 0) decide('embeddingSize', smallModel ? 64 : 128, sizeReason);
  if (config.hiddenSize === 0) decide('hiddenSize', smallModel ? 128 : 256, sizeReason);
  const stepsPerEpoch = Math.ceil(pairs / resolved.batchSize);
  if (config.epochs === 0) {
    const epochs = Math.min(10_000, Math.max(10, Math.ceil(STEP_BUDGET / stepsPerEpoch)));
    decide('epochs', epochs, `until validation ${config.earlyStoppingMetric} stops improving${config.maxMinutes > 0 ? ` or ${config.maxMinutes} min pass` : ''}; at most ${epochs} epochs (about ${STEP_BUDGET.toLocaleString('en-US')} updates at ${stepsPerEpoch} per epoch)`);
  }
  if (config.evalEverySteps === 0 && stepsPerEpoch > MAX_STEPS_BETWEEN_EVALUATIONS) {
    decide('evalEverySteps', MAX_STEPS_BETWEEN_EVALUATIONS, `an epoch is ${stepsPerEpoch} updates: evaluate every ${MAX_STEPS_BETWEEN_EVALUATIONS} so early stopping and the charts follow the run`);
  }
  // classify and tag predict their labels in one pass: no output length to bound.
  if (config.maxDecodeLength === 0 && !labelShape(config)) {
    const lengths = prepared.train.map(p => p.target.length).sort((a, b) => a - b);
    const longest = lengths[lengths.length - 1] ?? 1;
    const limit = Math.min(1000, Math.max(4, Math.ceil(longest * 1.5) + 2));
    decide('maxDecodeLength', limit, `the longest training target has ${longest} tokens (median ${percentile(lengths, 0.5)}): 1.5 × that + 2`);
  }
  return { config: resolved, settings };
}

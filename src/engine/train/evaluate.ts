/**
 * Scoring a model on a set of pairs: teacher-forced loss / perplexity, the same references
 * scored free-running (exposure.ts), decoded outputs, and BLEU, chrF, token accuracy and exact
 * match against the references, and the mean sentence reward (reward.ts) of the outputs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ConfusionMatrix, EvalMetrics, Translation } from '../../shared/protocol';
import { corpusBleu, corpusChrf, errorRate, exactMatch, tokenAccuracy } from '../../shared/scoring';
import { beamSearch, greedyDecode, Hypothesis } from '../decode/decode';
import { predictLabels } from '../decode/labels';
import type { ExamplePair } from './dataset';
import { exposureMetrics, scoreReferences } from './exposure';
import type { ModelContext } from './modelContext';
import { pairReference, sentenceReward } from './reward';
import { labelMetrics, scoreLabels } from './labelScore';

export { copyPriorOption, type ModelContext } from './modelContext';

const EVAL_BATCH = 64;

/**
 * Decodes each source: batched greedy for beam 1, otherwise one beam search per source. The
 * label shapes (classify, tag) predict their labels in one pass (the beam does not apply).
 */
export function decodeAll(context: ModelContext, sources: number[][], beamSize: number, lengthPenaltyAlpha = context.config.lengthPenalty, maxLength = context.config.maxDecodeLength): Hypothesis[][] {
  if (context.model.labelHead) return predictLabels(context.model, sources).map(h => [h]);
  const decodeContext = { model: context.model, sourceToTarget: context.sourceToTarget };
  if (beamSize <= 1) {
    const out: Hypothesis[][] = [];
    for (let i = 0; i < sources.length; i += EVAL_BATCH) {
      greedyDecode(decodeContext, sources.slice(i, i + EVAL_BATCH), maxLength).forEach(h => out.push([h]));
    }
    return out;
  }
  return sources.map(source => beamSearch(decodeContext, source, { beamSize, lengthPenalty: lengthPenaltyAlpha, maxLength }));
}

export interface EvaluationResult {
  metrics: EvalMetrics;
  /** sacreBLEU-style signatures of the BLEU and chrF scores, for reporting. */
  signatures: { bleu: string; chrf: string };
  outputs: Array<{ tokens: string[]; output: string }>;
  /** classify: the confusion matrix of the outputs. */
  confusion?: ConfusionMatrix;
}

/**
 * sacreBLEU's layout of the pairs' references (`streams[k][i]`: the k-th reference of pair
 * i, '' where it has fewer, which sacreBLEU drops).
 */
export function referenceStreams(pairs: ReadonlyArray<Pick<ExamplePair, 'reference' | 'references'>>): string[][] {
  const count = pairs.reduce((most, p) => Math.max(most, p.references?.length ?? 1), 1);
  return Array.from({ length: count }, (_, k) => pairs.map(p => (p.references ?? [p.reference])[k] ?? ''));
}

export function evaluatePairs(context: ModelContext, pairs: ExamplePair[], beamSize: number): EvaluationResult {
  // The label shapes have no decoder to feed: their loss is the label head's, exposure does not apply.
  const labels = context.model.labelHead !== undefined;
  const teacherForced = labels ? scoreLabels(context, pairs) : scoreReferences(context, pairs, 'teacher-forced');
  const exposure = labels
    ? { teacherForcedAccuracy: NaN, freeRunLoss: NaN, freeRunAccuracy: NaN, exposureGap: NaN }
    : exposureMetrics(teacherForced, scoreReferences(context, pairs, 'free-running'));
  const best = decodeAll(context, pairs.map(p => p.source), beamSize).map(h => h[0]);
  const outputs = best.map(h => {
    const tokens = context.targetVocab.decode(h.ids);
    return { tokens, output: context.targetTokenizer.detokenize(tokens) };
  });
  const hypotheses = outputs.map(o => o.output);
  const references = pairs.map(p => p.references ?? p.reference);
  const streams = referenceStreams(pairs);
  const bleu = corpusBleu(hypotheses, streams);
  const chrf = corpusChrf(hypotheses, streams);
  const labelScores = labels ? labelMetrics(context, outputs, pairs) : undefined;
  return {
    ...(labelScores?.confusion ? { confusion: labelScores.confusion } : {}),
    signatures: { bleu: bleu.signature, chrf: chrf.signature },
    metrics: {
      exactMatch: exactMatch(hypotheses, references),
      tokenAccuracy: tokenAccuracy(outputs.map(o => o.tokens), pairs.map(p => p.targetTokens)),
      bleu: bleu.score,
      chrf: chrf.score,
      perplexity: teacherForced.perplexity,
      loss: teacherForced.loss,
      cer: errorRate(hypotheses, references, 'char'),
      wer: errorRate(hypotheses, references, 'word'),
      ...exposure,
      reward: pairs.length ? outputs.reduce((sum, o, i) => sum + sentenceReward(context.config.rlReward, o, pairReference(context, pairs[i])), 0) / pairs.length : 0,
      macroF1: labelScores?.macroF1 ?? NaN, // classify and tag only
    },
    outputs,
  };
}

/**
 * A decoded result in the protocol's shape. Attention columns follow `sourceTokens` in
 * reading order even when the model saw the source reversed.
 */
export function toTranslation(context: ModelContext, source: string, sourceTokens: string[], hypotheses: Hypothesis[]): Translation {
  const reversed = context.config.reverseSource;
  const candidates = hypotheses.map(h => {
    const tokens = context.targetVocab.decode(h.ids);
    const attention = h.attention.map(row => {
      const cut = row.slice(0, sourceTokens.length);
      return reversed ? cut.reverse() : cut;
    });
    // The output has no </s>; keep one attention row and probability per output token.
    return {
      output: context.targetTokenizer.detokenize(tokens),
      tokens,
      probabilities: h.probabilities.slice(0, tokens.length),
      logProbability: h.logProbability,
      score: h.score,
      attention: attention.slice(0, tokens.length),
    };
  });
  const best = candidates[0];
  return { source, sourceTokens, output: best.output, tokens: best.tokens, probabilities: best.probabilities, attention: best.attention, candidates };
}

/**
 * Greedy decoding, beam search and sampling.
 *
 * All run without the autodiff tape, one tf.tidy per step; each step's small results
 * (chosen ids, probabilities, attention row) are read back because the next step's input
 * depends on them. <pad> and <s> are never produced. Beam search batches its live
 * hypotheses into one decoder call per step; scores use the GNMT length penalty
 * lp(Y) = ((5+|Y|)/6)^α (Wu et al. 2016), α = 0 for plain log-probability.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CellState } from '../model/cells';
import type { DecoderStepState, EncoderOutput, Seq2SeqModel } from '../model/seq2seq';
import { BOS, copyPresenceRows, EOS, PAD, sourceTensors } from '../model/batch';

export interface Hypothesis {
  /** output ids without </s> */
  ids: number[];
  /** probability of each output id, then of </s> if it ended with one */
  probabilities: number[];
  /** Σ log p over the output and </s> */
  logProbability: number;
  /** logProbability / lp(length): what beams are ranked by */
  score: number;
  /** [outputLen (+1 for </s>)][srcLen] */
  attention: number[][];
  finished: boolean;
}

export interface DecodeContext {
  model: Seq2SeqModel;
  /** For the copy prior: source id → target id (or -1). */
  sourceToTarget?: Int32Array;
}

type TensorTree = tf.Tensor | undefined | TensorTree[] | { [key: string]: TensorTree };

function forEachTensor(value: unknown, fn: (t: tf.Tensor) => void): void {
  if (value instanceof tf.Tensor) fn(value);
  else if (Array.isArray(value)) value.forEach(v => forEachTensor(v, fn));
  else if (value && typeof value === 'object') Object.values(value).forEach(v => forEachTensor(v, fn));
}

/** Runs `fn` in a tidy scope and keeps every tensor inside the object it returns. */
export function tidyKeep<T>(fn: () => T): T {
  let result!: T;
  tf.tidy(() => {
    result = fn();
    forEachTensor(result, t => tf.keep(t));
  });
  return result;
}

export function disposeTree(value: unknown): void {
  const seen = new Set<tf.Tensor>();
  forEachTensor(value, t => {
    if (!seen.has(t)) {
      seen.add(t);
      t.dispose();
    }
  });
}

function encodeSources(context: DecodeContext, sources: number[][]): EncoderOutput {
  return tidyKeep(() => {
    const { sourceIds, sourceMask } = sourceTensors(sources);
    const presence = context.model.config.copyPrior
      ? copyPresenceRows(sources, context.sourceToTarget ?? new Int32Array(0), context.model.shape.targetVocabSize)
      : undefined;
    return context.model.encode(sourceIds, sourceMask, false, presence);
  });
}

/**
 * Disposes the decoder state a step has replaced. The first step's RNN states belong to the
 * encoder output (disposed with it); only its input-feeding vector (zeros) is the step's own.
 */
function releaseStepState(state: DecoderStepState, t: number): void {
  if (t > 0) disposeTree(state);
  else state.feed?.dispose();
}

/**
 * log-probabilities [batch, vocab] with <pad> and <s> excluded (what every decoder draws from);
 * also </s> before the output's minimum length (`endAllowed` false).
 */
export function stepLogProbs(logits: tf.Tensor2D, endAllowed = true): tf.Tensor2D {
  const vocab = logits.shape[1];
  const banned = new Float32Array(vocab);
  banned[PAD] = -1e9;
  banned[BOS] = -1e9;
  if (!endAllowed) banned[EOS] = -1e9;
  return tf.logSoftmax(tf.add(logits, tf.tensor1d(banned))) as tf.Tensor2D;
}

/** GNMT length penalty. */
export function lengthPenalty(length: number, alpha: number): number {
  return alpha > 0 ? ((5 + length) / 6) ** alpha : 1;
}

/**
 * Greedy decoding of many sources at once; `minLength`: no </s> before that many tokens
 * (fairseq's --min-len; the speed benchmark decodes to full length with it).
 */
export function greedyDecode(context: DecodeContext, sources: number[][], maxLength: number, minLength = 0): Hypothesis[] {
  return decodeBatch(context, sources, maxLength, undefined, minLength);
}

/**
 * Ancestral sampling (temperature 1, the whole vocabulary) of many sources at once: one draw
 * per unfinished source and step, in source order, from `random`. Self-critical sequence
 * training (train/scst.ts) samples its sequences here.
 */
export function sampleDecodeBatch(context: DecodeContext, sources: number[][], options: { maxLength: number; random: () => number }): Hypothesis[] {
  return decodeBatch(context, sources, options.maxLength, logProbs => sampleIndex(logProbs, 0, options.random));
}

/**
 * Many sources decoded a step at a time: greedily (argmax on the device) or by `choose`, called
 * with each unfinished source's log-probabilities of the step, in source order.
 */
function decodeBatch(context: DecodeContext, sources: number[][], maxLength: number, choose?: (logProbs: Float32Array) => number, minLength = 0): Hypothesis[] {
  const { model } = context;
  const encoded = encodeSources(context, sources);
  const batch = sources.length;
  const sourceLength = encoded.memory.shape[1];
  const results: Hypothesis[] = sources.map(() => ({ ids: [], probabilities: [], logProbability: 0, score: 0, attention: [], finished: false }));
  let state: DecoderStepState = model.initialStepState(encoded);
  let previous = new Int32Array(batch).fill(BOS);
  try {
    for (let t = 0; t < maxLength && results.some(r => !r.finished); t++) {
      const step = tidyKeep(() => {
        const out = model.decodeStep(encoded, tf.tensor1d(previous, 'int32'), state, false);
        const logProbs = stepLogProbs(out.logits, t >= minLength);
        return choose
          ? { logProbs, attention: out.attention, next: out.next }
          : { best: tf.argMax(logProbs, 1), bestLogProb: tf.max(logProbs, 1), attention: out.attention, next: out.next };
      });
      let best: Int32Array;
      let bestLogProb: Float32Array;
      if (choose) {
        const all = step.logProbs!.dataSync() as Float32Array;
        const vocab = all.length / batch;
        best = Int32Array.from(results, (r, b) => (r.finished ? EOS : choose(all.subarray(b * vocab, (b + 1) * vocab))));
        bestLogProb = Float32Array.from(best, (id, b) => all[b * vocab + id]);
      } else {
        best = step.best!.dataSync() as Int32Array;
        bestLogProb = step.bestLogProb!.dataSync() as Float32Array;
      }
      const attention = step.attention?.dataSync() as Float32Array | undefined;
      releaseStepState(state, t); // the initial RNN states belong to `encoded`
      state = step.next;
      disposeTree([step.best, step.bestLogProb, step.logProbs, step.attention]);
      previous = new Int32Array(best);
      results.forEach((r, b) => {
        if (r.finished) return;
        r.probabilities.push(Math.exp(bestLogProb[b]));
        r.logProbability += bestLogProb[b];
        r.attention.push(attention ? Array.from(attention.subarray(b * sourceLength, (b + 1) * sourceLength)) : []);
        if (best[b] === EOS) r.finished = true;
        else r.ids.push(best[b]);
      });
    }
  } finally {
    if (state !== undefined && state.states !== encoded.initialStates) disposeTree(state);
    disposeTree(encoded);
  }
  for (const r of results) r.score = r.logProbability;
  return results;
}

interface Beam {
  ids: number[];
  probabilities: number[];
  logProbability: number;
  attention: number[][];
  /** row of this hypothesis in the current state batch */
  row: number;
}

/** Beam search for one source; returns up to `beamSize` hypotheses, best first. */
export function beamSearch(context: DecodeContext, source: number[], options: { beamSize: number; lengthPenalty: number; maxLength: number; minLength?: number }): Hypothesis[] {
  const { model } = context;
  const { beamSize, maxLength } = options;
  const alpha = options.lengthPenalty;
  const encodedOne = encodeSources(context, [source]);
  const sourceLength = encodedOne.memory.shape[1];
  let beams: Beam[] = [{ ids: [], probabilities: [], logProbability: 0, attention: [], row: 0 }];
  const finished: Hypothesis[] = [];
  let state: DecoderStepState = model.initialStepState(encodedOne);
  let encoded = encodedOne;
  const encodedByRows = new Map<number, EncoderOutput>([[1, encodedOne]]);
  const encodedFor = (rows: number): EncoderOutput => {
    let e = encodedByRows.get(rows);
    if (!e) {
      e = tidyKeep(() => ({
        memory: tf.tile(encodedOne.memory, [rows, 1, 1]) as tf.Tensor3D,
        keys: encodedOne.keys ? tf.tile(encodedOne.keys, [rows, 1, 1]) as tf.Tensor3D : undefined,
        sourceMask: tf.tile(encodedOne.sourceMask, [rows, 1]) as tf.Tensor2D,
        copyPresence: encodedOne.copyPresence ? tf.tile(encodedOne.copyPresence, [rows, 1]) as tf.Tensor2D : undefined,
        initialStates: [] as CellState[],
      }));
      encodedByRows.set(rows, e);
    }
    return e;
  };
  try {
    for (let t = 0; t < maxLength && beams.length > 0; t++) {
      encoded = encodedFor(beams.length);
      const previous = new Int32Array(beams.map(b => (b.ids.length ? b.ids[b.ids.length - 1] : BOS)));
      const step = tidyKeep(() => {
        const out = model.decodeStep(encoded, tf.tensor1d(previous, 'int32'), state, false);
        return { logProbs: stepLogProbs(out.logits, t >= (options.minLength ?? 0)), attention: out.attention, next: out.next };
      });
      const logProbs = step.logProbs.dataSync() as Float32Array; // [beams, vocab]
      const attention = step.attention?.dataSync() as Float32Array | undefined;
      const vocab = step.logProbs.shape[1];
      disposeTree([step.logProbs, step.attention]);
      releaseStepState(state, t);
      const nextState = step.next;

      // Top `beamSize` extensions over all beams (a partial selection; vocab·beams is small).
      const candidates: Array<{ beam: number; token: number; logProbability: number }> = [];
      beams.forEach((beam, b) => {
        for (let v = 0; v < vocab; v++) {
          const lp = beam.logProbability + logProbs[b * vocab + v];
          if (candidates.length < beamSize || lp > candidates[candidates.length - 1].logProbability) {
            candidates.push({ beam: b, token: v, logProbability: lp });
            candidates.sort((x, y) => y.logProbability - x.logProbability);
            if (candidates.length > beamSize) candidates.pop();
          }
        }
      });
      const survivors: Beam[] = [];
      for (const c of candidates) {
        const parent = beams[c.beam];
        const probabilities = [...parent.probabilities, Math.exp(logProbs[c.beam * vocab + c.token])];
        const attentionRows = [...parent.attention, attention ? Array.from(attention.subarray(c.beam * sourceLength, (c.beam + 1) * sourceLength)) : []];
        if (c.token === EOS) {
          finished.push({ ids: parent.ids, probabilities, logProbability: c.logProbability, score: c.logProbability / lengthPenalty(parent.ids.length + 1, alpha), attention: attentionRows, finished: true });
        } else {
          survivors.push({ ids: [...parent.ids, c.token], probabilities, logProbability: c.logProbability, attention: attentionRows, row: c.beam });
        }
      }
      // Reorder the decoder state to the surviving beams' parents.
      const parentRows = tf.tensor1d(survivors.map(s => s.row), 'int32');
      state = tidyKeep(() => ({
        states: nextState.states.map(s => ({ h: tf.gather(s.h, parentRows), c: s.c ? tf.gather(s.c, parentRows) : undefined })),
        feed: nextState.feed ? tf.gather(nextState.feed, parentRows) : undefined,
      }));
      parentRows.dispose();
      disposeTree(nextState);
      survivors.forEach((s, i) => (s.row = i));
      beams = survivors;

      // Stop when no live beam can beat the best finished one: log-probabilities only fall,
      // and the length penalty is largest at maxLength.
      if (finished.length >= beamSize && beams.length > 0) {
        const bestFinished = Math.max(...finished.map(f => f.score));
        const bestPossible = Math.max(...beams.map(b => b.logProbability)) / lengthPenalty(maxLength, alpha);
        if (bestFinished >= bestPossible) break;
      }
    }
    // Beams that ran out of length count as finished (truncated) hypotheses.
    for (const b of beams) {
      finished.push({ ids: b.ids, probabilities: b.probabilities, logProbability: b.logProbability, score: b.logProbability / lengthPenalty(b.ids.length, alpha), attention: b.attention, finished: false });
    }
  } finally {
    if (state.states !== encodedOne.initialStates) disposeTree(state);
    for (const e of encodedByRows.values()) disposeTree(e);
  }
  finished.sort((x, y) => y.score - x.score);
  return finished.slice(0, beamSize);
}

/** Log-probability of a given output (forced decoding), e.g. for exhaustive-search tests. */
export function scoreOutput(context: DecodeContext, source: number[], output: number[], endsWithEos: boolean): number {
  const targets = endsWithEos ? [...output, EOS] : output;
  const { model } = context;
  const encoded = encodeSources(context, [source]);
  let state = model.initialStepState(encoded);
  let total = 0;
  let previous = BOS;
  try {
    for (let t = 0; t < targets.length; t++) {
      const step = tidyKeep(() => {
        const out = model.decodeStep(encoded, tf.tensor1d([previous], 'int32'), state, false);
        return { logProbs: stepLogProbs(out.logits), next: out.next };
      });
      total += (step.logProbs.dataSync() as Float32Array)[targets[t]];
      step.logProbs.dispose();
      releaseStepState(state, t);
      state = step.next;
      previous = targets[t];
    }
  } finally {
    if (state.states !== encoded.initialStates) disposeTree(state);
    disposeTree(encoded);
  }
  return total;
}

/**
 * One source decoded a token at a time, `choose` picking each output from the step's
 * log-probabilities (at `temperature`); ends at </s> (when `mayStop(t)`) or after `steps`.
 * Sampling and what-if decoding differ only in how they choose.
 */
function decodeStepwise(
  context: DecodeContext,
  source: number[],
  steps: number,
  temperature: number,
  choose: (t: number, logProbs: Float32Array) => number,
  mayStop: (t: number) => boolean = () => true,
): Hypothesis {
  const { model } = context;
  const encoded = encodeSources(context, [source]);
  const sourceLength = encoded.memory.shape[1];
  let state = model.initialStepState(encoded);
  const result: Hypothesis = { ids: [], probabilities: [], logProbability: 0, score: 0, attention: [], finished: false };
  let previous = BOS;
  try {
    for (let t = 0; t < steps; t++) {
      const step = tidyKeep(() => {
        const out = model.decodeStep(encoded, tf.tensor1d([previous], 'int32'), state, false);
        const logits = temperature === 1 ? out.logits : tf.div(out.logits, temperature); // [1, vocab]
        return { logProbs: stepLogProbs(logits as tf.Tensor2D), attention: out.attention, next: out.next };
      });
      const logProbs = step.logProbs.dataSync() as Float32Array; // [1, vocab]
      const attention = step.attention?.dataSync() as Float32Array | undefined; // [1, srcLen]
      disposeTree([step.logProbs, step.attention]);
      releaseStepState(state, t);
      state = step.next;
      const token = choose(t, logProbs);
      result.probabilities.push(Math.exp(logProbs[token]));
      result.logProbability += logProbs[token];
      result.attention.push(attention ? Array.from(attention.subarray(0, sourceLength)) : []);
      if (token === EOS && mayStop(t)) {
        result.finished = true;
        break;
      }
      result.ids.push(token);
      previous = token;
    }
  } finally {
    if (state.states !== encoded.initialStates) disposeTree(state);
    disposeTree(encoded);
  }
  result.score = result.logProbability;
  return result;
}

/** Ancestral sampling with temperature and top-k (k = 0: the whole vocabulary). */
export function sampleDecode(context: DecodeContext, source: number[], options: { temperature: number; topK: number; maxLength: number; random: () => number }): Hypothesis {
  if (!(options.temperature > 0)) throw new Error('temperature must be > 0');
  return decodeStepwise(context, source, options.maxLength, options.temperature, (_t, logProbs) => sampleIndex(logProbs, options.topK, options.random));
}

/** Draws an index from log-probabilities restricted to the k most likely. */
export function sampleIndex(logProbs: Float32Array, topK: number, random: () => number): number {
  let indices = Array.from(logProbs.keys());
  if (topK > 0 && topK < indices.length) indices = indices.sort((a, b) => logProbs[b] - logProbs[a]).slice(0, topK);
  const max = Math.max(...indices.map(i => logProbs[i]));
  const weights = indices.map(i => Math.exp(logProbs[i] - max));
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let j = 0; j < indices.length; j++) {
    r -= weights[j];
    if (r <= 0) return indices[j];
  }
  return indices[indices.length - 1];
}

/**
 * What-if decoding (seq2seq-vis, Strobelt et al. 2018): the first outputs are `prefix`, fed to
 * the decoder whatever it would have chosen (each with the probability the model gave it), then
 * greedy decoding continues from that state until </s> or `maxLength` outputs in all.
 * With an empty prefix this is greedy decoding of one source.
 */
export function forcedDecode(context: DecodeContext, source: number[], prefix: readonly number[], maxLength: number): Hypothesis {
  const greedy = (logProbs: Float32Array) => {
    let token = 0;
    for (let v = 1; v < logProbs.length; v++) if (logProbs[v] > logProbs[token]) token = v;
    return token;
  };
  return decodeStepwise(
    context,
    source,
    Math.max(maxLength, prefix.length),
    1,
    (t, logProbs) => (t < prefix.length ? prefix[t] : greedy(logProbs)),
    t => t >= prefix.length,
  );
}

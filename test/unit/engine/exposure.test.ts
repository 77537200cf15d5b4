/**
 * Exposure-bias scores on a hand-built bigram decoder (helpers.ts `bigramModel`): the logits of
 * each step are a table row of the previous token, so every score below is worked by hand.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { scoreReferences } from '../../../src/engine/train/exposure';
import type { ModelContext } from '../../../src/engine/train/modelContext';
import { Seq2SeqModel } from '../../../src/engine/model/seq2seq';
import { disposeBatch, makeBatch } from '../../../src/engine/model/batch';
import { batchLoss } from '../../../src/engine/train/step';
import { bigramModel, tensorCount, tinyConfig, useTestBackend } from './helpers';

const [BOS, EOS, A, B] = [1, 2, 4, 5];
const V = 6;
const L = Math.log(5); // one logit ln 5, five 0s: p = 5/10 = 0.5 for it, 0.1 for each other

/** A table whose row `prev` gives the logit ln 5 to `next`, 0 elsewhere. */
function table(best: Record<number, number>): number[][] {
  return Array.from({ length: V }, (_, prev) => Array.from({ length: V }, (_, next) => (best[prev] === next ? L : 0)));
}

function context(rows: number[][]): ModelContext {
  const model = bigramModel(rows);
  return { model, config: model.config, sourceToTarget: new Int32Array(V).fill(-1) } as unknown as ModelContext;
}

// Targets "a b" (outputs a, b, </s>) and "b" (outputs b, </s>): 5 reference positions.
const pairs = [{ source: [A], target: [A, B] }, { source: [B, A], target: [B] }];
const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-5, `${what}: ${actual} vs ${expected}`);

describe('exposure bias: teacher-forced vs free-running scores', () => {
  before(useTestBackend);

  it('equal when the model predicts the reference at every step', () => {
    // <s> → a, a → b, b → </s>: greedy predictions are the references of both pairs.
    const c = context(table({ [BOS]: A, [A]: B, [B]: EOS, [EOS]: EOS }));
    const both = [pairs[0], { source: [B, A], target: [A, B] }];
    try {
      const forced = scoreReferences(c, both, 'teacher-forced');
      const free = scoreReferences(c, both, 'free-running');
      assert.equal(forced.tokens, 6);
      // Every reference token has p = 0.5, fed either way.
      close(forced.loss, Math.log(2), 'teacher-forced loss');
      close(free.loss, forced.loss, 'free-running loss');
      close(forced.accuracy, 1, 'teacher-forced accuracy');
      close(free.accuracy, 1, 'free-running accuracy');
    } finally {
      c.model.dispose();
    }
  });

  it('differ, as worked by hand, when its first prediction is wrong', () => {
    // <s> → b (pair 1 wants a), a → b, b → </s>, </s> → </s>.
    const c = context(table({ [BOS]: B, [A]: B, [B]: EOS, [EOS]: EOS }));
    const before = tensorCount();
    try {
      const forced = scoreReferences(c, pairs, 'teacher-forced');
      const free = scoreReferences(c, pairs, 'free-running');
      // Teacher-forced, pair 1: p(a|<s>) = 0.1, p(b|a) = 0.5, p(</s>|b) = 0.5; pair 2: p(b|<s>) = 0.5, p(</s>|b) = 0.5.
      close(forced.loss, (Math.log(10) + 4 * Math.log(2)) / 5, 'teacher-forced loss');
      // Free-running, pair 1 is fed <s>, b (its own guess), </s>: p(a|<s>) = 0.1, p(b|b) = 0.1,
      // p(</s>|</s>) = 0.5; pair 2 guessed right, as before: 0.5, 0.5.
      close(free.loss, (2 * Math.log(10) + 3 * Math.log(2)) / 5, 'free-running loss');
      // argmax right: teacher-forced b, </s> of pair 1 and both of pair 2; free-running only </s> of pair 1.
      close(forced.accuracy, 4 / 5, 'teacher-forced accuracy');
      close(free.accuracy, 3 / 5, 'free-running accuracy');
      close(forced.perplexity, Math.exp(forced.loss), 'perplexity');
      assert.equal(tensorCount(), before, 'no tensors leaked');
    } finally {
      c.model.dispose();
    }
  });

  it('with input feeding (decoded step by step) the teacher-forced score feeds the references', () => {
    // Before: the step-by-step decoder read a draw of 1 as "use the own prediction" even at
    // teacher forcing 1, so an input-feeding run's validation loss was its free-running loss.
    const model = new Seq2SeqModel(tinyConfig({ inputFeeding: true, hiddenSize: 6 }), { sourceVocabSize: V, targetVocabSize: V }, 3);
    const c = { model, config: model.config, sourceToTarget: new Int32Array(V).fill(-1) } as unknown as ModelContext;
    const batch = makeBatch(pairs);
    try {
      const forced = scoreReferences(c, pairs, 'teacher-forced');
      const free = scoreReferences(c, pairs, 'free-running');
      const training = tf.tidy(() => batchLoss(model, batch, { training: false, teacherForcing: 1, random: Math.random, labelSmoothing: 0 }).loss.dataSync()[0]);
      close(forced.loss, training, 'teacher-forced loss vs the training loss at teacher forcing 1');
      assert.ok(Math.abs(free.loss - forced.loss) > 1e-4, `free-running ${free.loss} should differ from teacher-forced ${forced.loss} for an untrained model`);
    } finally {
      disposeBatch(batch);
      model.dispose();
    }
  });
});

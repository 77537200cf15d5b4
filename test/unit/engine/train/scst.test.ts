/**
 * Self-critical sequence training (scst.ts) and its rewards (reward.ts), on cases worked by
 * hand: the REINFORCE gradient −(r − b)·Σₜ log p(yₜ) of a hand-built bigram decoder
 * (helpers.ts `bigramModel`: the logits of a step are a table row of the previous token), the
 * greedy baseline that cancels a sample equal to the greedy decode, and each reward.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { Tokenizer, Vocabulary } from '../../../../src/engine/data';
import { disposeBatch } from '../../../../src/engine/model/batch';
import type { ModelContext } from '../../../../src/engine/train/modelContext';
import { sentenceReward } from '../../../../src/engine/train/reward';
import { reinforceLoss, sampledBatch, scstGradients } from '../../../../src/engine/train/scst';
import type { ExamplePair } from '../../../../src/engine/train/dataset';
import { bigramModel, tensorCount, tinyConfig, useTestBackend } from '../helpers';

const [BOS, EOS, A, B] = [1, 2, 4, 5];
const V = 6;

/** A table whose row `prev` gives the logit `logit` to `next[prev]`, 0 to every other token. */
function table(next: Record<number, number>, logit = Math.log(5)): number[][] {
  return Array.from({ length: V }, (_, prev) => Array.from({ length: V }, (_, to) => (next[prev] === to ? logit : 0)));
}

const close = (actual: number, expected: number, what: string, tolerance = 1e-5) => assert.ok(Math.abs(actual - expected) < tolerance, `${what}: ${actual} vs ${expected}`);

describe('self-critical sequence training', () => {
  before(useTestBackend);

  it('the REINFORCE gradient of −(r − b)·Σ log p on a 2-step bigram decoder, worked by hand', () => {
    // <s> → a, a → b, b → </s>, each with logit ln 5 over 0s. <pad> and <s> are never sampled,
    // so each step's distribution is over </s>, <unk>, a, b: 5/8 for the favoured token, 1/8 each other.
    const model = bigramModel(table({ [BOS]: A, [A]: B, [B]: EOS }));
    const before = tensorCount();
    // Sample 1: "b </s>" (finished), advantage r − b = +0.5.
    // Sample 2: "a a", cut off at the length limit (no </s> to count), advantage −1.
    const batch = sampledBatch([{ source: [A], ids: [B], finished: true }, { source: [B], ids: [A, A], finished: false }]);
    const advantages = tf.tensor1d([0.5, -1]);
    try {
      const bias = model.params.get('output/b');
      const { value, grads } = tf.variableGrads(() => reinforceLoss(model, batch, advantages, false), [bias]);
      // log p: sample 1: p(b|<s>) = 1/8, p(</s>|b) = 5/8; sample 2: p(a|<s>) = 5/8, p(a|a) = 1/8.
      // L = −½·(0.5·ln(5/64) − 1·ln(5/64)) = ¼·ln(5/64).
      close(value.dataSync()[0], 0.25 * Math.log(5 / 64), 'loss');
      // ∂(−A·log p(y))/∂b = −A·(onehot(y) − p) per step, summed over the sample's counted steps, ÷ 2 samples.
      // Sample 1: (e_b − p(·|<s>)) + (e_</s> − p(·|b)) = (</s> 2/8, <unk> −2/8, a −6/8, b 6/8), × −0.5.
      // Sample 2: (e_a − p(·|<s>)) + (e_a − p(·|a)) = (</s> −2/8, <unk> −2/8, a 10/8, b −6/8), × +1.
      const expected = [0, 0, -3 / 16, -1 / 16, 13 / 16, -9 / 16]; // <pad>, <s>, </s>, <unk>, a, b
      const actual = Array.from(grads[bias.name].dataSync());
      expected.forEach((g, i) => close(actual[i], g, `∂L/∂b[${i}]`));
      value.dispose();
      Object.values(grads).forEach(g => g.dispose());
    } finally {
      advantages.dispose();
      disposeBatch(batch);
    }
    assert.equal(tensorCount(), before, 'no tensors leaked');
    model.dispose();
  });

  it('the mask counts a finished sample\'s </s> and not the missing one of a cut-off sample', () => {
    const batch = sampledBatch([{ source: [A], ids: [B], finished: true }, { source: [B], ids: [A, A], finished: false }]);
    try {
      assert.deepEqual(Array.from(batch.targetMask.dataSync()), [1, 1, 0, 1, 1, 0]);
      assert.deepEqual(Array.from(batch.targetOutput.dataSync()).slice(0, 2), [B, EOS]);
    } finally {
      disposeBatch(batch);
    }
  });

  describe('scstGradients', () => {
    const tokens = ['<pad>', '<s>', '</s>', '<unk>', 'a', 'b'];
    const context = (rows: number[][], overrides = {}): ModelContext => {
      const model = bigramModel(rows);
      const config = { ...tinyConfig(), ...model.config, maxDecodeLength: 4, rlReward: 'exact' as const, rlSamples: 3, rlMixWeight: 0, ...overrides };
      return {
        model, config, sourceVocab: Vocabulary.fromJSON({ tokens }), targetVocab: Vocabulary.fromJSON({ tokens }),
        sourceTokenizer: new Tokenizer({ kind: 'char' }, false), targetTokenizer: new Tokenizer({ kind: 'char' }, false), sourceToTarget: new Int32Array(V).fill(-1),
      };
    };
    const pairs: ExamplePair[] = [{ source: [A], target: [A, B], sourceTokens: ['a'], targetTokens: ['a', 'b'], reference: 'ab', sourceText: 'a' }];
    const options = { random: () => 0.5, training: false, teacherForcing: 1, forwardRandom: () => 0, labelSmoothing: 0 };

    it('the greedy baseline cancels samples equal to the greedy decode: zero gradient', () => {
      // Logits of 60 over 0s: every sample is the greedy "a b </s>" (the reference: reward 1 each).
      const c = context(table({ [BOS]: A, [A]: B, [B]: EOS }, 60));
      const { loss, grads, reward } = scstGradients(c, pairs, options);
      assert.deepEqual(reward, { sampled: 1, greedy: 1 });
      for (const [name, g] of grads) assert.ok(Array.from(g.dataSync()).every(x => Math.abs(x) < 1e-6), `${name} gradient is not zero`);
      loss.dispose();
      grads.forEach(g => g.dispose());
      c.model.dispose();
    });

    it('a sample better than the greedy decode is made more likely, by the gradient worked by hand', () => {
      // Logit ln 2 over 0s: the favoured token 2/5, each other (</s>, <unk>, a, b) 1/5; a draw
      // u picks the first token (in id order) whose cumulative probability reaches u.
      // Greedy: <s> → b, b → </s>: "b", reward 0 against the reference "ab".
      const c = context(table({ [BOS]: B, [A]: B, [B]: EOS }, Math.log(2)));
      // Three samples, drawn per step for each unfinished one in order:
      // sample 0: a (0.5), b (0.9), </s> (0.1) = "ab", reward 1; sample 1: b (0.9), </s> (0.1) = "b", 0;
      // sample 2: </s> (0.1) = "", 0.
      const draws = [0.5, 0.9, 0.1, 0.9, 0.1, 0.1];
      let next = 0;
      const { loss, grads, reward } = scstGradients(c, pairs, { ...options, random: () => draws[next++] });
      assert.equal(next, draws.length, 'draws used');
      assert.equal(reward.greedy, 0);
      close(reward.sampled, 1 / 3, 'sampled reward');
      // Only sample 0 has an advantage (1 − 0); ∂L/∂b[a] = −⅓·Σₜ(onehot(yₜ) − pₜ)[a]
      // = −⅓·((1 − 1/5) + (0 − 1/5) + (0 − 1/5)) = −2/15: descending it makes a after <s> likelier.
      close(grads.get('output/b')!.dataSync()[A], -2 / 15, '∂L/∂b[a]');
      loss.dispose();
      grads.forEach(g => g.dispose());
      c.model.dispose();
    });
  });

  describe('rewards', () => {
    const out = (output: string, tokens = output.split(' ')) => ({ output, tokens });
    const ref = (...references: string[]) => ({ references, tokens: references.map(r => r.split(' ')) });

    it('exact match: 1 for any reference equal to the output, else 0', () => {
      assert.equal(sentenceReward('exact', out('a b'), ref('a b')), 1);
      assert.equal(sentenceReward('exact', out('a b'), ref('b a')), 0);
      assert.equal(sentenceReward('exact', out('a b'), ref('x', 'a b')), 1);
    });

    it('negEditDistance: minus the token edit distance to the nearest reference', () => {
      assert.equal(sentenceReward('negEditDistance', out('a b c'), ref('a c')), -1);
      assert.equal(sentenceReward('negEditDistance', out('a b c'), ref('x y z')), -3);
      assert.equal(sentenceReward('negEditDistance', out('a b c'), ref('x y z', 'a b d')), -1);
      assert.equal(sentenceReward('negEditDistance', out('a b'), ref('a b')), -0);
    });

    it('bleu: sentence BLEU / 100, worked by hand', () => {
      // "the cat sat on the mat" vs "the cat sat on a mat": clipped n-gram precisions 5/6, 3/5,
      // 2/4, 1/3, equal lengths (no brevity penalty): (5/6·3/5·2/4·1/3)^¼ = (1/12)^¼.
      close(sentenceReward('bleu', out('the cat sat on the mat'), ref('the cat sat on a mat')), (1 / 12) ** 0.25, 'BLEU', 1e-4);
      close(sentenceReward('bleu', out('the cat sat'), ref('the cat sat')), 1, 'BLEU of the reference itself', 1e-9);
    });

    it('chrf: sentence chrF / 100: 1 for the reference, 0 with no character in common, between otherwise', () => {
      close(sentenceReward('chrf', out('abc'), ref('abc')), 1, 'chrF of the reference', 1e-9);
      close(sentenceReward('chrf', out('xyz'), ref('abc')), 0, 'chrF, nothing shared', 1e-9);
      const partial = sentenceReward('chrf', out('abd'), ref('abc'));
      assert.ok(partial > 0 && partial < 1, `${partial}`);
    });
  });
});

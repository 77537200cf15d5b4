/** shape auto on data files: tag, classify or seq2seq from the pairs, with the reason. */
import { strict as assert } from 'assert';
import { decideShape, detectShape } from '../../../../src/engine/train/shapeDecision';

const pairs = (lines: string[]) => lines.map(l => ({ source: l.split('\t')[0], target: l.split('\t')[1] }));
const repeat = <T>(items: T[], times: number) => Array.from({ length: times }, () => items).flat();

describe('shape auto-detection', () => {
  it('tags: aligned token counts over a small tag set', () => {
    const data = pairs(repeat(['the cat sat\tDET NOUN VERB', 'a dog ran away\tDET NOUN VERB ADV', 'birds sing\tNOUN VERB'], 10));
    const decision = detectShape(data);
    assert.equal(decision.shape, 'tag');
    assert.match(decision.reason, /4 distinct tags used 90 times/);
  });

  it('classify: one-token targets from a small label set', () => {
    const data = pairs(repeat(['what a great film\tpos', 'dull and long\tneg', 'fine\tpos'], 10));
    const decision = detectShape(data);
    assert.equal(decision.shape, 'classify');
    assert.match(decision.reason, /2 distinct labels over 30 pairs/);
  });

  it('seq2seq otherwise: sequences, too many labels, or aligned copies of the source', () => {
    assert.equal(detectShape(pairs(repeat(['I am here\tich bin hier', 'go\tgeh weg'], 10))).shape, 'seq2seq');
    // Single-token targets, but each its own: a lookup (g2p-like char data), not classes.
    const lookup = detectShape(pairs(Array.from({ length: 50 }, (_, i) => `word${i}\tW${i}`)));
    assert.equal(lookup.shape, 'seq2seq');
    assert.match(lookup.reason, /50 distinct ones over 50 pairs is no small label set/);
    // Word-for-word reordering: aligned, but the "tags" are the source's words.
    assert.equal(detectShape(pairs(repeat(['a b c\tc b a', 'b a\ta b'], 20))).shape, 'seq2seq');
    assert.equal(detectShape(pairs(repeat(['the cat sat\tTHE CAT SAT', 'a dog\tA DOG'], 20))).shape, 'seq2seq', 'case aside, the targets are the source');
    // Two labels on a handful of pairs are not enough evidence of classes.
    assert.equal(detectShape(pairs(['x\ty', 'z\tw', 'x\tw'])).shape, 'seq2seq');
  });

  it('a configured shape and a task\'s shape win over the data', () => {
    const data = pairs(repeat(['what a great film\tpos', 'dull\tneg'], 10));
    assert.deepEqual(decideShape('seq2seq', undefined, data), { shape: 'seq2seq', auto: false, reason: 'set in the configuration' });
    assert.equal(decideShape('auto', 'generate', data).shape, 'generate');
    assert.deepEqual(decideShape('auto', undefined, data), { shape: 'classify', auto: true, reason: 'every target is one token, from 2 distinct labels over 20 pairs' });
    assert.equal(decideShape('auto', undefined, data, 'char').shape, 'seq2seq', 'a chosen target tokenizer means sequences');
  });
});

/** Hand-worked examples for exact match, token accuracy, perplexity and edit distance. */
import { strict as assert } from 'assert';
import { editDistance, exactMatch, perplexity, tokenAccuracy } from '../../../../src/shared/scoring';

describe('exactMatch', () => {
  it('is the fraction of identical strings', () => assert.equal(exactMatch(['a b', 'c', 'd '], ['a b', 'x', 'd']), 1 / 3));
  it('counts a hypothesis equal to any of its segment\'s references', () => {
    assert.equal(exactMatch(['HH EH0 L OW1', 'K AE1 T', 'x'], [['HH AH0 L OW1', 'HH EH0 L OW1'], ['K AE1 T'], ['y', 'z']]), 2 / 3);
  });
  it('is 1 for a perfect corpus and 0 for an empty one', () => {
    assert.equal(exactMatch(['x', 'y'], ['x', 'y']), 1);
    assert.equal(exactMatch([], []), 0);
  });
  it('rejects different lengths', () => assert.throws(() => exactMatch(['a'], []), /1 hypotheses but 0 references/));
});

describe('tokenAccuracy', () => {
  it('counts matching positions over reference tokens', () => {
    // Sentence 1: positions 0 and 2 match (2 of 3). Sentence 2: hypothesis is one token short,
    // the missing position counts as wrong (1 of 2). Total 3 / 5.
    assert.equal(tokenAccuracy([['a', 'x', 'c'], ['d']], [['a', 'b', 'c'], ['d', 'e']]), 3 / 5);
  });
  it('ignores extra hypothesis tokens past the reference', () => assert.equal(tokenAccuracy([['a', 'b', 'extra', 'more']], [['a', 'b']]), 1));
  it('does not realign after an insertion', () => assert.equal(tokenAccuracy([['x', 'a', 'b']], [['a', 'b']]), 0));
  it('empty hypothesis scores 0; no reference tokens scores 0', () => {
    assert.equal(tokenAccuracy([[]], [['a']]), 0);
    assert.equal(tokenAccuracy([[]], [[]]), 0);
  });
  it('rejects different lengths', () => assert.throws(() => tokenAccuracy([], [['a']]), /0 hypotheses but 1 references/));
});

describe('perplexity', () => {
  it('is exp of the mean negative log-likelihood', () => {
    assert.equal(perplexity(0, 10), 1);
    // Uniform guess over 4 symbols for 3 tokens: NLL = 3 ln 4, perplexity 4.
    assert.ok(Math.abs(perplexity(3 * Math.log(4), 3) - 4) < 1e-12);
  });
  it('is 1 for an empty evaluation (0 NLL over 0 tokens)', () => assert.equal(perplexity(0, 0), 1));
  it('rejects impossible inputs', () => {
    assert.throws(() => perplexity(-1, 3), RangeError);
    assert.throws(() => perplexity(NaN, 3), RangeError);
    assert.throws(() => perplexity(2, 0), RangeError);
    assert.throws(() => perplexity(1, -1), RangeError);
  });
  it('overflows to Infinity rather than throwing', () => assert.equal(perplexity(1000, 1), Infinity));
});

describe('editDistance', () => {
  it('kitten -> sitting is 3', () => assert.equal(editDistance([...'kitten'], [...'sitting']), 3));
  it('flaw -> lawn is 2', () => assert.equal(editDistance([...'flaw'], [...'lawn']), 2));
  it('works on token arrays', () => assert.equal(editDistance(['the', 'cat', 'sat'], ['the', 'dog', 'sat', 'down']), 2));
  it('handles empty sides and identity', () => {
    assert.equal(editDistance([], [1, 2, 3]), 3);
    assert.equal(editDistance([1, 2], []), 2);
    assert.equal(editDistance([], []), 0);
    assert.equal(editDistance([1, 2, 3], [1, 2, 3]), 0);
  });
  it('is symmetric', () => assert.equal(editDistance([...'abcdef'], [...'azced']), editDistance([...'azced'], [...'abcdef'])));
});

import { strict as assert } from 'assert';
import { errorRate } from '../../../../src/shared/scoring';

describe('metrics/errorRate (CER, WER, PER)', () => {
  it('is the summed edit distance over the summed reference length (worked by hand)', () => {
    // "kitten" → "sitting": 3 edits over 7 reference characters; "abc" = "abc": 0 over 3.
    assert.equal(errorRate(['kitten', 'abc'], ['sitting', 'abc'], 'char'), 3 / 10);
    // Words: "the cat sat" vs "the cat sat down": one deletion over 4 reference words.
    assert.equal(errorRate(['the cat sat'], ['the cat sat down'], 'word'), 1 / 4);
    // Phonemes as space-separated words: HH AH0 L OW1 vs HH AH1 L OW1 → one substitution of 4 (PER 25 %).
    assert.equal(errorRate(['HH AH1 L OW1'], ['HH AH0 L OW1'], 'word'), 0.25);
  });

  it('counts code points, not UTF-16 units, and ignores runs of spaces between words', () => {
    assert.equal(errorRate(['😀b'], ['😀c'], 'char'), 1 / 2);
    assert.equal(errorRate(['a   b'], ['a b'], 'word'), 0);
  });

  it('can exceed 1 for outputs much longer than their references; empty corpora are defined', () => {
    assert.equal(errorRate(['a b c d'], ['a'], 'word'), 3);
    assert.equal(errorRate([''], [''], 'char'), 0);
    assert.equal(errorRate(['x'], [''], 'char'), 1);
    assert.throws(() => errorRate(['a'], [], 'char'), /1 hypotheses but 0 references/);
  });

  it('scores a segment with several references against the nearest one (distance and its length)', () => {
    // "hello": HH AH0 L OW1 or HH EH0 L OW1. Hypothesis HH EH0 L OW0: 2 edits from the first,
    // 1 from the second → 1 over 4. Second segment: one reference, 0 edits over 3.
    assert.equal(errorRate(['HH EH0 L OW0', 'K AE1 T'], [['HH AH0 L OW1', 'HH EH0 L OW1'], 'K AE1 T'], 'word'), 1 / 7);
    // The nearest reference's length counts, not the first's: "ab" vs ["abcdef", "abc"] → 1 over 3.
    assert.equal(errorRate(['ab'], [['abcdef', 'abc']], 'char'), 1 / 3);
    // A list with one reference is the same as the string.
    assert.equal(errorRate(['kitten'], [['sitting']], 'char'), errorRate(['kitten'], ['sitting'], 'char'));
  });
});

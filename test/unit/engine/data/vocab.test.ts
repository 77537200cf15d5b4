import { strict as assert } from 'assert';
import { BOS_ID, EOS_ID, PAD_ID, stripSpecial, UNK_ID, Vocabulary } from '../../../../src/engine/data';

const CORPUS = [
  ['b', 'a', 'c'],
  ['a', 'b', 'a'],
  ['d', 'a', 'e'],
];
// counts: a 4, b 2, c 1, d 1, e 1 — first appearance order b, a, c, d, e

describe('data/vocab', () => {
  it('puts the specials at fixed ids', () => {
    const vocab = Vocabulary.build([], { minFrequency: 1, maxSize: 0 });
    assert.deepEqual([PAD_ID, BOS_ID, EOS_ID, UNK_ID], [0, 1, 2, 3]);
    assert.deepEqual([0, 1, 2, 3].map(i => vocab.token(i)), ['<pad>', '<s>', '</s>', '<unk>']);
    assert.equal(vocab.size, 4);
  });

  it('orders by descending frequency, ties by first appearance', () => {
    const vocab = Vocabulary.build(CORPUS, { minFrequency: 1, maxSize: 0 });
    assert.deepEqual(vocab.toJSON().tokens.slice(4), ['a', 'b', 'c', 'd', 'e']);
    const reordered = Vocabulary.build([['e', 'd', 'c'], ['b', 'a', 'b'], ['a', 'a', 'a']], { minFrequency: 1, maxSize: 0 });
    assert.deepEqual(reordered.toJSON().tokens.slice(4), ['a', 'b', 'e', 'd', 'c']);
  });

  it('drops tokens rarer than minFrequency (they encode as <unk>)', () => {
    const vocab = Vocabulary.build(CORPUS, { minFrequency: 2, maxSize: 0 });
    assert.equal(vocab.size, 6);
    assert.deepEqual(vocab.encode(['a', 'c', 'b']), [4, UNK_ID, 5]);
  });

  it('caps the size, specials included', () => {
    const vocab = Vocabulary.build(CORPUS, { minFrequency: 1, maxSize: 6 });
    assert.equal(vocab.size, 6);
    assert.equal(vocab.id('c'), UNK_ID);
    assert.equal(Vocabulary.build(CORPUS, { minFrequency: 1, maxSize: 2 }).size, 4, 'the specials always stay');
  });

  it('does not add a token spelled like a special twice', () => {
    const vocab = Vocabulary.build([['<unk>', 'x', '<s>']], { minFrequency: 1, maxSize: 0 });
    assert.deepEqual(vocab.toJSON().tokens, ['<pad>', '<s>', '</s>', '<unk>', 'x']);
  });

  it('encodes and decodes one for one; unknown ids decode as <unk>', () => {
    const vocab = Vocabulary.build(CORPUS, { minFrequency: 1, maxSize: 0 });
    const ids = vocab.encode(['a', 'zzz', 'e']);
    assert.deepEqual(ids, [4, UNK_ID, 8]);
    assert.deepEqual(vocab.decode([BOS_ID, ...ids, EOS_ID, 99]), ['<s>', 'a', '<unk>', 'e', '</s>', '<unk>']);
  });

  it('stripSpecial cuts at the first EOS and drops PAD and BOS, keeping UNK', () => {
    assert.deepEqual(stripSpecial([BOS_ID, 5, PAD_ID, UNK_ID, 6, EOS_ID, 7, EOS_ID]), [5, UNK_ID, 6]);
    assert.deepEqual(stripSpecial([5, 6]), [5, 6]);
    assert.deepEqual(stripSpecial([EOS_ID, 5]), []);
  });

  it('round-trips through JSON text', () => {
    const vocab = Vocabulary.build(CORPUS, { minFrequency: 1, maxSize: 0 });
    const restored = Vocabulary.fromJSON(JSON.parse(JSON.stringify(vocab)));
    assert.deepEqual(restored.toJSON(), vocab.toJSON());
    assert.equal(restored.id('d'), vocab.id('d'));
    assert.equal(restored.size, vocab.size);
  });

  it('rejects corrupt saved vocabularies with a clear message', () => {
    const specials = ['<pad>', '<s>', '</s>', '<unk>'];
    const cases: Array<[unknown, RegExp]> = [
      [null, /must be a JSON object/],
      [['<pad>'], /must be a JSON object/],
      ['tokens', /must be a JSON object/],
      [{}, /"tokens" is missing or not an array/],
      [{ tokens: 'abc' }, /"tokens" is missing or not an array/],
      [{ tokens: [...specials, 7] }, /entry 4 is not a string \(found 7\)/],
      [{ tokens: ['<s>', '<pad>', '</s>', '<unk>', 'a'] }, /entry 0 must be <pad>/],
      [{ tokens: ['<pad>', '<s>'] }, /entry 2 must be <\/s> \(found undefined\)/],
      [{ tokens: [...specials, 'a', 'b', 'a'] }, /duplicate token "a"/],
    ];
    for (const [json, expected] of cases) {
      assert.throws(() => Vocabulary.fromJSON(json), expected, `for ${JSON.stringify(json)}`);
    }
  });
});

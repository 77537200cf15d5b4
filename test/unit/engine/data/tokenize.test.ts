import { strict as assert } from 'assert';
import { detokenize, makeRng, tokenize, Tokenizer } from '../../../../src/engine/data';
import { trainSubword } from '../../../../src/engine/data/profile';

/** Random text from a mix that trips tokenizers: combining marks, emoji, CJK, tabs, runs of spaces, ▁ itself. */
function randomText(random: () => number): string {
  const pieces = [
    'a', 'Z', 'é', 'e\u0301', 'q\u0303', 'ß', 'İ', 'ﬁ', '7', '٣', ' ', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003',
    ',', '.', '!', "'", '-', '(', ')', '%', '「', '」', '，', '。', '😀', '👍🏽', '👨‍👩‍👧', '中', '文', '日本', 'です', 'к', 'Ж', 'ا', 'ה',
    '\u2581', '\u2581\u2581', '_', '<unk>', '\u200d', '\ufeff', String.fromCodePoint(0x1f600 + Math.floor(random() * 50)),
  ];
  let text = '';
  const length = Math.floor(random() * 14);
  for (let i = 0; i < length; i++) {
    text += random() < 0.15 ? String.fromCodePoint(0x20 + Math.floor(random() * 0x3000)) : pieces[Math.floor(random() * pieces.length)];
  }
  return text;
}

describe('data/tokenize', () => {
  describe('char', () => {
    it('splits code points, keeping spaces and astral characters whole', () => {
      assert.deepEqual(tokenize('a b😀', 'char', false), ['a', ' ', 'b', '😀']);
    });

    it('composes combining marks first (NFC), so é is one token either way', () => {
      const decomposed = 'e\u0301te\u0301';
      assert.deepEqual(tokenize(decomposed, 'char', false), ['é', 't', 'é']);
      assert.deepEqual(tokenize(decomposed, 'char', false), tokenize('été', 'char', false));
    });

    it('lowercases on request, renormalising the result', () => {
      assert.deepEqual(tokenize('AbC', 'char', true), ['a', 'b', 'c']);
      assert.equal(tokenize('İ', 'char', true).join(''), 'i̇'.normalize('NFC'));
    });
  });

  describe('word', () => {
    it('splits words and each punctuation character, a single space before a token becoming its ▁', () => {
      assert.deepEqual(tokenize("Hello, world! It's 3.5%", 'word', false), ['▁Hello', ',', '▁world', '!', '▁It', "'", 's', '▁3', '.', '5', '%']);
    });

    it('keeps accented letters and combining marks inside the word', () => {
      assert.deepEqual(tokenize('Cafe\u0301 naïve', 'word', false), ['▁Café', '▁naïve']);
      assert.deepEqual(tokenize('aq\u0303b c', 'word', false), ['▁aq\u0303b', '▁c']);
    });

    it('keeps other whitespace as tokens of its own, so nothing is lost', () => {
      assert.deepEqual(tokenize('  a\t\tb\u00a0c \n', 'word', false), ['  ', '▁a', '\t\t', 'b', '\u00a0', 'c', ' \n']);
      assert.deepEqual(tokenize('   ', 'word', false), ['    ']);
      assert.deepEqual(tokenize('', 'word', false), []);
    });

    it('keeps a run of Han characters as one word', () => {
      assert.deepEqual(tokenize('我爱NLP!', 'word', false), ['▁我爱NLP', '!']);
    });

    it('lowercases Unicode letters', () => {
      assert.deepEqual(tokenize('ÉCOLE Straße', 'word', true), ['▁école', '▁straße']);
    });

    it('gives back what the user wrote: hyphens and apostrophes are not spaced out', () => {
      for (const text of ['twenty-one', "don't", 'e-mail (draft)', 'a , b', 'x  y']) {
        assert.equal(detokenize(tokenize(text, 'word', false), 'word'), text);
      }
    });

    it('tells a literal ▁ in the text from the space marker', () => {
      const text = '\u2581x \u2581 \u2581\u2581y';
      const tokens = tokenize(text, 'word', false);
      assert.deepEqual(tokens, ['▁▁', 'x', '▁▁', '▁▁', '▁', 'y']);
      assert.equal(detokenize(tokens, 'word'), text);
    });
  });

  describe('cjk', () => {
    it('makes each Han character a token and keeps Latin words whole', () => {
      assert.deepEqual(tokenize('我爱NLP!', 'cjk', false), ['▁我', '爱', 'NLP', '!']);
    });

    it('splits CJK punctuation and mixed scripts', () => {
      assert.deepEqual(tokenize('你好，世界。abc123', 'cjk', false), ['▁你', '好', '，', '世', '界', '。', 'abc123']);
    });

    it('keeps kana runs together while splitting kanji', () => {
      assert.deepEqual(tokenize('日本語です', 'cjk', false), ['▁日', '本', '語', 'です']);
    });

    it('round-trips spacing between Chinese and Latin exactly', () => {
      for (const text of ['我爱 NLP!', '他说「OK」。', '你好，世界。']) assert.equal(detokenize(tokenize(text, 'cjk', false), 'cjk'), text);
    });
  });

  describe('round trip (property): detokenize(tokenize(x)) === NFC(x)', () => {
    const subword = new Tokenizer(trainSubword(['the lower newest widest', 'low lowest new', 'Straße 中文 😀 e\u0301'], 60, false), false);
    for (const kind of ['char', 'word', 'cjk', 'subword'] as const) {
      it(`${kind}: 3,000 random Unicode strings`, () => {
        const random = makeRng(`roundtrip:${kind}`);
        const tokenizer = kind === 'subword' ? subword : new Tokenizer({ kind }, false);
        for (let i = 0; i < 3000; i++) {
          const text = randomText(random);
          const tokens = tokenizer.tokenize(text);
          assert.ok(tokens.every(t => t.length > 0), `empty token for ${JSON.stringify(text)}`);
          assert.equal(tokenizer.detokenize(tokens), text.normalize('NFC'), `${kind} round trip of ${JSON.stringify(text)} via ${JSON.stringify(tokens)}`);
        }
      });
    }

    it('lowercasing runs round-trip to the lowercased text', () => {
      const random = makeRng('roundtrip:lower');
      const tokenizer = new Tokenizer({ kind: 'word' }, true);
      for (let i = 0; i < 1000; i++) {
        const text = randomText(random);
        assert.equal(tokenizer.detokenize(tokenizer.tokenize(text)), text.normalize('NFC').toLowerCase().normalize('NFC'));
      }
    });
  });

  describe('Tokenizer.fromJSON', () => {
    it('reads the kind names older runs saved and subword models', () => {
      assert.equal(Tokenizer.fromJSON('cjk', false).kind, 'cjk');
      assert.equal(Tokenizer.fromJSON({ kind: 'word' }, false).kind, 'word');
      const model = Tokenizer.fromJSON({ kind: 'subword', merges: [['▁l', 'o']] }, false);
      assert.deepEqual(model.tokenize('low'), ['▁lo', 'w']);
    });

    it('a run saved before the reversible tokenizers (a bare kind name) keeps its old tokens and spacing', () => {
      const legacy = Tokenizer.fromJSON('word', false);
      assert.deepEqual(legacy.tokenize('twenty two, ok'), ['twenty', 'two', ',', 'ok']);
      assert.equal(legacy.detokenize(['twenty', 'two', ',', 'ok']), 'twenty two, ok');
      assert.equal(legacy.toJSON(), 'word', 'saved back as it was');
      assert.equal(Tokenizer.fromJSON('cjk', false).detokenize(['我', '爱', 'NLP']), '我爱 NLP');
      assert.deepEqual(Tokenizer.fromJSON({ kind: 'word' }, false).tokenize('a b'), ['▁a', '▁b']);
    });

    it('rejects damaged specs with a clear message', () => {
      assert.throws(() => Tokenizer.fromJSON('bpe', false), /unknown tokenizer "bpe"/);
      assert.throws(() => Tokenizer.fromJSON({ kind: 'subword', merges: [['a']] }, false), /merges.*pairs/);
      assert.throws(() => Tokenizer.fromJSON(null, false), /unknown tokenizer/);
    });
  });
});

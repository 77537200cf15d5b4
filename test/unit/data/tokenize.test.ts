import { strict as assert } from 'assert';
import { detokenize, tokenize } from '../../../src/engine/data';

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

    it('round-trips exactly through detokenize', () => {
      const text = '3 March 2019, Sunday';
      assert.equal(detokenize(tokenize(text, 'char', false), 'char'), text);
    });

    it('lowercases on request, renormalising the result', () => {
      assert.deepEqual(tokenize('AbC', 'char', true), ['a', 'b', 'c']);
      assert.equal(tokenize('İ', 'char', true).join(''), 'i̇'.normalize('NFC'));
    });
  });

  describe('word', () => {
    it('splits words and each punctuation character', () => {
      assert.deepEqual(tokenize("Hello, world! It's 3.5%", 'word', false), ['Hello', ',', 'world', '!', 'It', "'", 's', '3', '.', '5', '%']);
    });

    it('keeps accented letters and combining marks inside the word', () => {
      assert.deepEqual(tokenize('Cafe\u0301 naïve', 'word', false), ['Café', 'naïve']);
      // A mark that NFC cannot compose (q + ̃) still stays in its word.
      assert.deepEqual(tokenize('aq\u0303b c', 'word', false), ['aq\u0303b', 'c']);
    });

    it('treats any whitespace as a separator and never yields empty tokens', () => {
      assert.deepEqual(tokenize('  a\t\tb\u00a0c \n', 'word', false), ['a', 'b', 'c']);
      assert.deepEqual(tokenize('   ', 'word', false), []);
    });

    it('keeps a run of Han characters as one word', () => {
      assert.deepEqual(tokenize('我爱NLP!', 'word', false), ['我爱NLP', '!']);
    });

    it('lowercases Unicode letters', () => {
      assert.deepEqual(tokenize('ÉCOLE Straße', 'word', true), ['école', 'straße']);
    });
  });

  describe('cjk', () => {
    it('makes each Han character a token and keeps Latin words whole', () => {
      assert.deepEqual(tokenize('我爱NLP!', 'cjk', false), ['我', '爱', 'NLP', '!']);
    });

    it('splits CJK punctuation and mixed scripts', () => {
      assert.deepEqual(tokenize('你好，世界。abc123', 'cjk', false), ['你', '好', '，', '世', '界', '。', 'abc123']);
    });

    it('keeps kana runs together while splitting kanji', () => {
      assert.deepEqual(tokenize('日本語です', 'cjk', false), ['日', '本', '語', 'です']);
    });
  });

  describe('detokenize', () => {
    it('joins words with spaces but none before closing punctuation or after opening brackets', () => {
      assert.equal(detokenize(['Hello', ',', 'world', '(', 'really', ')', '!', '50', '%'], 'word'), 'Hello, world (really)! 50%');
      assert.equal(detokenize(['[', 'a', ']', '{', 'b', '}', ';', 'c', ':', 'd', '?'], 'word'), '[a] {b}; c: d?');
    });

    it('puts no space between Han characters or around full-width punctuation', () => {
      assert.equal(detokenize(['我', '爱', 'NLP', '!'], 'cjk'), '我爱 NLP!');
      assert.equal(detokenize(['你', '好', '，', '世', '界', '。'], 'cjk'), '你好，世界。');
      assert.equal(detokenize(['他', '说', '「', 'OK', '」', '。'], 'cjk'), '他说「OK」。');
    });

    it('normalises whitespace on a round trip', () => {
      const text = 'Hello ,   world  !';
      assert.equal(detokenize(tokenize(text, 'word', false), 'word'), 'Hello, world!');
    });

    it('of nothing is the empty string', () => {
      assert.equal(detokenize([], 'word'), '');
      assert.equal(detokenize([], 'char'), '');
    });
  });
});

/**
 * The 13a tokenizer. Inputs are sentences from sacreBLEU's test files (test_bleu.py README
 * example, test_sentence_bleu.py issue #98, test_chrf.py) plus hand-picked edge cases of the
 * mteval-v13a rules; expected outputs follow sacreBLEU's `tokenizer_13a.py`/`tokenizer_re.py`
 * step by step (the comments show the rule that applies).
 */
import { strict as assert } from 'assert';
import { tokenize13a, tokenizeChar } from '../../../../src/shared/scoring';

const cases: Array<[string, string, string]> = [
  // Sentences from sacreBLEU's tests.
  ["It wasn't surprising.", "It wasn't surprising .", 'apostrophes stay, final period splits (test_bleu.py)'],
  ['The man had just bitten him.', 'The man had just bitten him .', 'test_bleu.py hypothesis'],
  ['Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;', 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb ;', 'non-ASCII letters untouched (test_sentence_bleu.py)'],
  [' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. ', 'Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich .', 'whitespace runs collapse (test_chrf.py)'],
  ['Niemand hat die Absicht, eine Mauer zu errichten', 'Niemand hat die Absicht , eine Mauer zu errichten', 'comma after a letter (test_chrf.py)'],
  // Entities are unescaped in sequence, so "&amp;lt;" becomes "<".
  ['&quot;Hello&quot; &amp; goodbye', '" Hello " & goodbye', 'XML entities'],
  ['&amp;lt;b&amp;gt;', '< b >', 'double-escaped entities'],
  // Period/comma between digits survive; elsewhere they split.
  ['Pi is 3.14, not 3,14.', 'Pi is 3.14 , not 3,14 .', 'decimal separators'],
  ['1,000,000.50 dollars', '1,000,000.50 dollars', 'grouped number'],
  ['3.', '3 .', 'period after a digit at the end'],
  ['.5', '. 5', 'period before a digit at the start'],
  ['U.S.A.', 'U . S . A .', 'abbreviations split'],
  // Dashes split only after a digit.
  ['Price: $5-10 (approx.)', 'Price : $ 5 - 10 ( approx . )', 'symbols and digit dash'],
  ['e-mail x-ray 2-3', 'e-mail x-ray 2 - 3', 'hyphenated words stay'],
  ['a/b {c} [d] ~e~ _f_ `g` @h #i', 'a / b { c } [ d ] ~ e ~ _ f _ ` g ` @ h # i', 'every ASCII symbol class'],
  ['end."', 'end . "', 'quote after period'],
  // Line handling and <skipped>.
  ['line-\nbreak and\nnewline', 'linebreak and newline', 'hyphenated line break joined'],
  ['a <skipped> b', 'a b', '<skipped> removed'],
  // Python whitespace: NBSP, U+3000 and U+0085 split, U+FEFF does not.
  ['a\u00a0b\u3000c\u0085d\ufeffe', 'a b c d\ufeffe', 'Python str.split() whitespace'],
  ['tab\there', 'tab here', 'tab'],
  ['', '', 'empty string'],
];

describe('tokenize13a', () => {
  for (const [input, expected, why] of cases) {
    it(`${why}: ${JSON.stringify(input)}`, () => assert.equal(tokenize13a(input), expected));
  }
});

describe('tokenizeChar', () => {
  it('splits code points, keeping astral characters and spaces', () => assert.equal(tokenizeChar('a b😀'), 'a   b 😀'));
});

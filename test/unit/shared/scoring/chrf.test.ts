/**
 * chrF against the numbers published in sacreBLEU's test/test_chrf.py (mjpost/sacrebleu, 2.x),
 * which uses EPSILON = 1e-4 and, for corpus cases, char_order=6, word_order=0, beta=3.
 */
import { strict as assert } from 'assert';
import { corpusChrf, sentenceChrf } from '../../../../src/shared/scoring';

function near(actual: number, expected: number, tolerance = 1e-4): void {
  assert.ok(Math.abs(actual - expected) < tolerance, `expected ${expected} ± ${tolerance}, got ${actual}`);
}

const BETA3 = { charOrder: 6, wordOrder: 0, beta: 3 };

describe('corpusChrf (sacreBLEU test/test_chrf.py)', () => {
  // test_cases: eps_smoothing=True (chrF++.py / NLTK style).
  const epsCases: Array<[string[], string[], number]> = [
    [['abcdefg'], ['hijklmnop'], 0.0],
    [['a'], ['b'], 0.0],
    [[''], ['b'], 0.0],
    [[''], ['ref'], 0.0],
    [[''], ['reference'], 0.0],
    [['aa'], ['ab'], 8.3333],
    [['a', 'b'], ['a', 'c'], 8.3333],
    [['a'], ['a'], 16.6667],
    [['a b c'], ['a b c'], 50.0],
    [['a b c'], ['abc'], 50.0],
    [[' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .'],
      ['risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .'], 63.36173],
    [[' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. '],
      ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'], 64.1302698],
    [['Niemand hat die Absicht, eine Mauer zu errichten'], ['Niemand hat die Absicht, eine Mauer zu errichten'], 100.0],
  ];
  for (const [hyps, refs, expected] of epsCases) {
    it(`eps smoothing: ${JSON.stringify(hyps[0]).slice(0, 40)} -> ${expected}`, () => near(corpusChrf(hyps, [refs], { ...BETA3, epsSmoothing: true }).score, expected));
  }

  // test_cases_effective_order: eps_smoothing=False (sacreBLEU's default, the < 2.0.0 behaviour).
  const effCases: Array<[string[], string[], number]> = [
    [['a'], ['a'], 100.0],
    [[''], ['reference'], 0.0],
    [['a b c'], ['a b c'], 100.0],
    [['a b c'], ['abc'], 100.0],
    [[''], ['c'], 0.0],
    [['a', 'b'], ['a', 'c'], 50.0],
    [['aa'], ['ab'], 25.0],
  ];
  for (const [hyps, refs, expected] of effCases) {
    it(`effective order: ${JSON.stringify(hyps)} vs ${JSON.stringify(refs)} -> ${expected}`, () => near(corpusChrf(hyps, [refs], BETA3).score, expected));
  }

  // test_cases_keep_whitespace: remove_whitespace=False.
  const whitespaceCases: Array<[string, string, number]> = [
    ['Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.', 'Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.', 67.3481606],
    ['risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
      'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .', 65.2414427],
  ];
  for (const [hyp, ref, expected] of whitespaceCases) {
    it(`keep whitespace: ${hyp.slice(0, 30)}... -> ${expected}`, () => near(corpusChrf([hyp], [[ref]], { ...BETA3, whitespace: true }).score, expected));
  }
});

describe('sentenceChrf (sacreBLEU test/test_chrf.py test_sentence_level_chrf)', () => {
  // sentence_chrf(hyp, refs, eps_smoothing=True) with the defaults char_order=6, beta=2.
  const cases: Array<[string, string, number]> = [
    ['Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.', 'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.', 39.14078509],
    ['Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.', 'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.', 31.22557079],
    ['Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.', 'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.', 57.15704367],
  ];
  for (const [hyp, ref, expected] of cases) {
    it(`${hyp.slice(0, 30)}... -> ${expected}`, () => near(sentenceChrf(hyp, [ref], { epsSmoothing: true }).score, expected));
  }
});

describe('chrF details', () => {
  it('emits sacreBLEU 2.x signatures', () => {
    assert.equal(corpusChrf(['a'], [['a']]).signature, 'nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.4.0');
    assert.equal(sentenceChrf('a', ['a', 'b'], { wordOrder: 2, lowercase: true, whitespace: true, epsSmoothing: true }).signature,
      'nrefs:2|case:lc|eff:no|nc:6|nw:2|space:yes|version:2.4.0');
  });

  it('sums statistics over the corpus rather than averaging sentence scores', () => {
    // "a"/"a" alone is 100 and "aa"/"ab" alone is 25 (beta 3); pooled statistics give neither mean.
    const pooled = corpusChrf(['a', 'aa'], [['a', 'ab']], BETA3).score;
    assert.ok(Math.abs(pooled - 62.5) > 1, `pooled score ${pooled} looks like a mean of sentence scores`);
    // 1-grams: hyp 3, ref 3, match 2 -> P = R = 2/3; 2-grams: hyp 1, ref 1, match 0; higher orders absent.
    near(pooled, 100 * (1 / 3));
  });

  it('picks the best reference per segment', () => {
    near(sentenceChrf('the cat', ['a dog', 'the cat']).score, 100);
    near(sentenceChrf('the cat', ['the cat', 'a dog']).score, 100);
  });

  it('chrF++ adds word n-grams (hand-worked)', () => {
    // chars "ab" vs "ba": P = R = 1; words: unigrams P = R = 1, bigram "a b" vs "b a" P = R = 0.
    // Averages 2/3 and 2/3 give F1 = 2/3.
    near(sentenceChrf('a b', ['b a'], { charOrder: 1, wordOrder: 2, beta: 1 }).score, 200 / 3);
    near(sentenceChrf('a b', ['b a'], { charOrder: 1, beta: 1 }).score, 100);
  });

  it('chrF++ splits one punctuation mark off word edges like sacreBLEU', () => {
    near(sentenceChrf('hello, world', ['hello , world'], { wordOrder: 2 }).score, 100);
    // "(hi)" -> "(hi" + ")" (sacreBLEU issue #124) vs "(" "hi" ")": word P = 1/2, R = 1/3;
    // chars match fully, so avg P = 3/4, avg R = 2/3 and F1 = 12/17.
    near(sentenceChrf('(hi)', ['( hi )'], { charOrder: 1, wordOrder: 1, beta: 1 }).score, 1200 / 17);
  });

  it('counts code points, so astral characters are single characters', () => {
    // One emoji vs one emoji: a single 1-gram match, as in Python (two UTF-16 units in JS).
    near(corpusChrf(['😀'], [['😀']], { ...BETA3, epsSmoothing: true }).score, 16.6667);
  });

  it('lowercase option makes case irrelevant', () => {
    near(sentenceChrf('The Cat', ['the cat'], { lowercase: true }).score, 100);
    assert.ok(sentenceChrf('The Cat', ['the cat']).score < 100);
  });

  it('rejects mismatched lengths and bad orders', () => {
    assert.throws(() => corpusChrf(['a'], [['a', 'b']]), /reference stream 0 has 2 segments/);
    assert.throws(() => corpusChrf(['a'], [['a']], { charOrder: 0, wordOrder: 0 }), /at least 1/);
  });
});

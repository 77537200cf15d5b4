/**
 * BLEU against the numbers published in sacreBLEU's own test suite (mjpost/sacrebleu, 2.x).
 * Tolerances are the ones those tests use (EPSILON in each file).
 */
import { strict as assert } from 'assert';
import { computeBleu, corpusBleu, sentenceBleu } from '../../../../src/shared/scoring';

function near(actual: number, expected: number, tolerance: number, label = ''): void {
  assert.ok(Math.abs(actual - expected) < tolerance, `${label} expected ${expected} ± ${tolerance}, got ${actual}`);
}

// test/test_bleu.py: README example with two reference streams (`_hyps`, `_refs`).
const REFS = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const HYPS = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];

/** sacreBLEU's `raw_corpus_bleu`: floor smoothing, no tokenization, effective order. */
function rawCorpusBleu(hyps: string[], refs: string[][], smoothValue?: number) {
  return corpusBleu(hyps, refs, { smoothMethod: 'floor', smoothValue, tokenize: 'none', effectiveOrder: true });
}

describe('corpusBleu (sacreBLEU test/test_bleu.py)', () => {
  // test_bleu.py test_corpus_bleu_cases, EPSILON = 1e-8.
  it('default settings: 48.530827', () => near(corpusBleu(HYPS, REFS).score, 48.530827, 1e-6));
  it('tokenize 13a: 48.530827', () => near(corpusBleu(HYPS, REFS, { tokenize: '13a' }).score, 48.530827, 1e-6));
  it('tokenize none: 49.1919566', () => near(corpusBleu(HYPS, REFS, { tokenize: 'none' }).score, 49.1919566, 1e-6));
  it('smooth none: 48.530827', () => near(corpusBleu(HYPS, REFS, { smoothMethod: 'none' }).score, 48.530827, 1e-6));
  it('empty hypotheses are kept and score 0.0', () => assert.equal(corpusBleu(['', '', ''], REFS).score, 0));

  // test_bleu.py test_bleu_max_order, compared as "%.2f" strings there.
  const maxOrder: Array<[number, string]> = [[1, '77.65'], [2, '60.50'], [3, '53.93'], [4, '48.53'], [5, '46.14'], [6, '43.28']];
  for (const [order, expected] of maxOrder) {
    it(`max n-gram order ${order}: ${expected}`, () => assert.equal(corpusBleu(HYPS, REFS, { maxNgramOrder: order }).score.toFixed(2), expected));
  }

  // test_bleu.py test_raw_bleu_cases (raw_corpus_bleu with smooth value .01, score / 100).
  it('raw: no matches at all gives 0.0 (#141)', () => near(rawCorpusBleu(['this is a test', 'another test'], [['ref1', 'ref2']], 0.01).score / 100, 0, 1e-8));
  it('raw: identical sentence gives 1.0', () => near(rawCorpusBleu(['this is a test'], [['this is a test']], 0.01).score / 100, 1, 1e-8));
  it('raw: one substituted word gives 0.223606797749979', () => near(rawCorpusBleu(['this is a fest'], [['this is a test']], 0.01).score / 100, 0.223606797749979, 1e-8));

  // test_bleu.py test_case_effective_order.
  const effective: Array<[string, string, number]> = [['test', 'a test', 0.3678794411714425], ['a test', 'a test', 1.0], ['a little test', 'a test', 0.03218297948685433]];
  for (const [hyp, ref, expected] of effective) {
    it(`raw effective order: "${hyp}" vs "${ref}" = ${expected}`, () => near(rawCorpusBleu([hyp], [[ref]], 0.01).score / 100, expected, 1e-8));
  }

  // test_bleu.py test_case_statistics.
  it('statistics: counts [4,2,1,0] totals [6,5,4,3]', () => {
    const result = rawCorpusBleu(['am I am a character sequence'], [['I am a symbol string sequence a a']], 0.01);
    assert.deepEqual(result.counts, [4, 2, 1, 0]);
    assert.deepEqual(result.totals, [6, 5, 4, 3]);
    assert.equal(result.sysLen, 6);
    assert.equal(result.refLen, 8);
  });

  // test_bleu.py test_case_offset: floor 0.0 gives 0, the default floor (0.1) gives 0.1555722182.
  it('floor offset: 0.0 -> 0, default -> 0.1555722182', () => {
    const hyp = ['am I am a character sequence'];
    const ref = [['I am a symbol string sequence a a']];
    near(rawCorpusBleu(hyp, ref, 0).score / 100, 0, 1e-8);
    near(rawCorpusBleu(hyp, ref).score / 100, 0.1555722182, 1e-8);
  });
});

describe('computeBleu (sacreBLEU test/test_bleu.py)', () => {
  // test_case_scoring: compute_bleu([9,7,5,3], [10,8,6,4], 11, 11) with its default (no) smoothing.
  it('scores statistics: 0.8375922397', () => near(computeBleu([9, 7, 5, 3], [10, 8, 6, 4], 11, 11).score / 100, 0.8375922397, 1e-8));

  // test_case_degenerate_stats: floor smoothing with various offsets, all exactly 0.0.
  const degenerate: Array<[number[], number[], number, number, number]> = [
    [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0.0],
    [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0.0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.0],
    [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0.0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
    [[0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01],
  ];
  degenerate.forEach(([correct, total, sysLen, refLen, offset], i) => {
    it(`degenerate statistics case ${i + 1} is exactly 0`, () => {
      assert.equal(computeBleu(correct, total, sysLen, refLen, { smoothMethod: 'floor', smoothValue: offset }).score, 0);
    });
  });

  it('does not modify its inputs (sacreBLEU mutates them for add-k)', () => {
    const correct = [3, 2, 1, 0];
    const total = [4, 3, 2, 1];
    computeBleu(correct, total, 4, 4, { smoothMethod: 'add-k' });
    assert.deepEqual([correct, total], [[3, 2, 1, 0], [4, 3, 2, 1]]);
  });
});

describe('sentenceBleu (sacreBLEU test/test_sentence_bleu.py)', () => {
  // Example from sacreBLEU issue #98; EPSILON = 1e-3 in that file.
  const REF = 'producţia de zahăr brut se exprimă în zahăr alb;';
  const SYS = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';
  const cases: Array<[NonNullable<Parameters<typeof sentenceBleu>[2]>, number]> = [
    [{ smoothMethod: 'exp' }, 8.493],
    [{ smoothMethod: 'none' }, 0.0],
    [{ smoothMethod: 'floor' }, 4.51688],
    [{ smoothMethod: 'floor', smoothValue: 0.1 }, 4.51688],
    [{ smoothMethod: 'floor', smoothValue: 0.5 }, 10.1],
    [{ smoothMethod: 'add-k' }, 14.882],
    [{ smoothMethod: 'add-k', smoothValue: 1 }, 14.882],
    [{ smoothMethod: 'add-k', smoothValue: 2 }, 21.389],
    [{ tokenize: 'none' }, 7.347],
    [{ tokenize: 'char' }, 40.8759],
    [{ tokenize: 'char', lowercase: true }, 42.0267],
  ];
  for (const [options, expected] of cases) {
    it(`${JSON.stringify(options)} -> ${expected}`, () => near(sentenceBleu(SYS, [REF], options).score, expected, 1e-3));
  }

  // test_cases_zero_bleu (example from #141): no matching n-gram is 0 under every smoothing.
  for (const smoothMethod of ['exp', 'none', 'floor', 'add-k'] as const) {
    it(`no overlap with ${smoothMethod} smoothing is 0`, () => assert.equal(sentenceBleu('this is a cat', ['okay thanks'], { smoothMethod }).score, 0));
  }
});

describe('BLEU details', () => {
  it('emits sacreBLEU 2.x signatures', () => {
    assert.equal(corpusBleu(HYPS, REFS).signature, 'nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0');
    assert.equal(sentenceBleu('a', ['a'], { smoothMethod: 'floor', lowercase: true, tokenize: 'none' }).signature, 'nrefs:1|case:lc|eff:yes|tok:none|smooth:floor[0.10]|version:2.4.0');
    assert.equal(corpusBleu(['a'], [['a']], { smoothMethod: 'add-k', smoothValue: 2 }).signature, 'nrefs:1|case:mixed|eff:no|tok:13a|smooth:add-k[2.00]|version:2.4.0');
  });

  it('drops empty references, reporting nrefs:var', () => {
    const result = corpusBleu(['a b c d', 'e f g h'], [['a b c d', 'e f g h'], ['x', '']]);
    near(result.score, 100, 1e-9);
    assert.match(result.signature, /^nrefs:var\|/);
  });

  it('scores an all-empty reference as nothing to match instead of throwing', () => {
    const result = corpusBleu(['a b'], [['']]);
    assert.equal(result.score, 0);
    assert.equal(result.refLen, 0);
  });

  it('uses the closest reference length, the shorter one on ties', () => {
    // Hypothesis has 3 tokens; references have 2 and 4 tokens: tie, so 2 is used.
    assert.equal(corpusBleu(['a b c'], [['a b'], ['a b c d']], { tokenize: 'none' }).refLen, 2);
  });

  it('empty hypothesis: zero score, zero brevity penalty', () => {
    const result = sentenceBleu('', ['a reference']);
    assert.equal(result.score, 0);
    assert.equal(result.bp, 0);
    assert.equal(result.sysLen, 0);
  });

  it('empty corpus scores 0', () => assert.equal(corpusBleu([], [[]]).score, 0));

  it('rejects mismatched stream lengths and missing streams', () => {
    assert.throws(() => corpusBleu(['a', 'b'], [['a']]), /reference stream 0 has 1 segments but there are 2 hypotheses/);
    assert.throws(() => corpusBleu(['a'], []), /no reference streams/);
  });

  it('identical output scores 100 with the full statistics', () => {
    const result = corpusBleu(['The cat sat on the mat.'], [['The cat sat on the mat.']]);
    // exp(mean(log 100)) is 100.00000000000004 in IEEE doubles, in Python as well.
    near(result.score, 100, 1e-9);
    assert.deepEqual(result.counts, [7, 6, 5, 4]);
    assert.deepEqual(result.totals, [7, 6, 5, 4]);
    assert.deepEqual(result.precisions, [100, 100, 100, 100]);
  });
});

import { strict as assert } from 'assert';
import { Tokenizer } from '../../../../src/engine/data';
import { BpeModel, trainBpe } from '../../../../src/engine/data/bpe';
import { trainSubword } from '../../../../src/engine/data/profile';
import { splitUnits, Unit } from '../../../../src/engine/data/units';

/** Units of lines, each counted once per occurrence. */
function unitsOf(lines: string[]): Array<[Unit, number]> {
  return lines.flatMap(line => splitUnits(line, false).map((u): [Unit, number] => [u, 1]));
}

// Sennrich et al.'s example: low ×5, lower ×2, newest ×6, widest ×3 (each word after a space,
// so its first symbol carries the ▁ marker).
const SENNRICH = [...Array(5).fill('low'), ...Array(2).fill('lower'), ...Array(6).fill('newest'), ...Array(3).fill('widest')];

describe('data/bpe', () => {
  it('learns the merges worked out by hand on Sennrich et al.\'s example', () => {
    // Pair counts at the start: (e,s) 9, (s,t) 9, (w,e) 8, (▁l,o) 7, (o,w) 7, (e,w) 6, (▁n,e) 6 …
    // 1. (e,s) 9 — ties with (s,t) and "e" sorts first.      2. (es,t) 9.
    // 3. (o,w) 7 — ties with (▁l,o); "o" (U+006F) sorts before "▁" (U+2581).   4. (▁l,ow) 7.
    // 5. (e,w) 6 — ties with (w,est) and (▁n,e).   6. (ew,est) 6.   7. (▁n,ewest) 6.
    // 8. (d,est) 3.   9. (i,dest) 3.   10. (▁w,idest) 3.
    assert.deepEqual(trainBpe(unitsOf(SENNRICH), { merges: 10 }), [
      ['e', 's'], ['es', 't'], ['o', 'w'], ['▁l', 'ow'], ['e', 'w'], ['ew', 'est'], ['▁n', 'ewest'], ['d', 'est'], ['i', 'dest'], ['▁w', 'idest'],
    ]);
  });

  it('stops when no pair occurs twice', () => {
    const merges = trainBpe(unitsOf(SENNRICH), { merges: 1000 });
    assert.ok(merges.length < 20, `${merges.length} merges`);
    // (▁low, er) occurs twice (lower ×2), so it is learned; nothing occurs once only.
    assert.ok(merges.some(([a, b]) => a === '▁low' && b === 'e') || merges.some(([a, b]) => a === 'e' && b === 'r'));
  });

  it('applies merges by rank: an unseen word is split into known pieces, not <unk>', () => {
    const model = new BpeModel(trainBpe(unitsOf(SENNRICH), { merges: 10 }));
    const [lowest] = splitUnits('lowest', false);
    assert.deepEqual(model.encodeUnit(lowest), ['▁low', 'est']);
    const [wider] = splitUnits('wider', false);
    assert.deepEqual(model.encodeUnit(wider), ['▁w', 'i', 'd', 'e', 'r']);
  });

  it('never merges across units or into whitespace and punctuation', () => {
    const merges = trainBpe(unitsOf(Array(10).fill('a,a a\t\ta')), { merges: 50 });
    for (const [a, b] of merges) {
      assert.ok(!/[,\t]/.test(a + b), `merged ${a}+${b}`);
    }
  });

  it('trains the same model twice (deterministic, independent of input order)', () => {
    const lines = ['the cat sat on the mat', 'the dog sat', 'a cat and a dog', 'Katze und Hund', 'the mat'];
    const a = trainSubword(lines, 60, false);
    const b = trainSubword([...lines].reverse(), 60, false);
    assert.deepEqual(a, b);
    assert.ok(a.kind === 'subword' && a.merges.length > 0);
  });

  it('reaches about the vocabulary size asked for', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `word${i % 37} item${i % 11} thing${i % 5}`);
    const tokenizer = new Tokenizer(trainSubword(lines, 120, false), false);
    const vocab = new Set(lines.flatMap(l => tokenizer.tokenize(l)));
    assert.ok(vocab.size <= 116 && vocab.size >= 40, `${vocab.size} distinct pieces`);
  });
});

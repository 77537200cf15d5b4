import { strict as assert } from 'assert';
import { bucketBatches, filterByLength, makeRng, shuffleInPlace, splitGroups, splitPairs } from '../../../../src/engine/data';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('data/split', () => {
  it('makeRng is deterministic per seed, in [0, 1), and seeds differ', () => {
    const a = makeRng(42);
    const b = makeRng('42');
    const first = range(5).map(() => a());
    assert.deepEqual(range(5).map(() => b()), first, 'number and string seeds agree');
    assert.ok(first.every(x => x >= 0 && x < 1));
    const other = makeRng(43);
    assert.notDeepEqual(range(5).map(() => other()), first);
  });

  it('shuffleInPlace permutes the array itself, deterministically', () => {
    const array = range(50);
    const result = shuffleInPlace(array, makeRng(1));
    assert.equal(result, array);
    assert.deepEqual([...array].sort((x, y) => x - y), range(50));
    assert.notDeepEqual(array, range(50));
    assert.deepEqual(shuffleInPlace(range(50), makeRng(1)), array);
  });

  it('splits disjointly, covering every item, with the requested sizes', () => {
    const items = range(1000);
    const { train, valid, test } = splitPairs(items, 0.1, 0.05, 7);
    assert.equal(valid.length, 100);
    assert.equal(test.length, 50);
    assert.equal(train.length, 850);
    const all = [...train, ...valid, ...test];
    assert.equal(new Set(all).size, 1000);
    assert.deepEqual(items, range(1000), 'the input is not shuffled');
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const items = range(200).map(i => ({ id: i }));
    const a = splitPairs(items, 0.1, 0.1, 3);
    const b = splitPairs(items, 0.1, 0.1, 3);
    const c = splitPairs(items, 0.1, 0.1, 4);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.valid.map(x => x.id), c.valid.map(x => x.id));
  });

  it('gives valid and test at least one item from 3 items on, and keeps one for training', () => {
    const three = splitPairs(['a', 'b', 'c'], 0.01, 0.01, 1);
    assert.deepEqual([three.train.length, three.valid.length, three.test.length], [1, 1, 1]);
    const greedy = splitPairs(range(4), 0.5, 0.5, 1);
    assert.ok(greedy.train.length >= 1);
    assert.ok(greedy.valid.length >= 1 && greedy.test.length >= 1);
    assert.equal(greedy.train.length + greedy.valid.length + greedy.test.length, 4);
  });

  it('leaves valid or test empty when their fraction is 0, and copes with tiny inputs', () => {
    const noTest = splitPairs(range(10), 0.2, 0, 1);
    assert.deepEqual([noTest.train.length, noTest.valid.length, noTest.test.length], [8, 2, 0]);
    const two = splitPairs(['a', 'b'], 0.05, 0.05, 1);
    assert.deepEqual([two.train.length, two.valid.length, two.test.length], [2, 0, 0]);
    const none = splitPairs([], 0.1, 0.1, 1);
    assert.deepEqual(none, { train: [], valid: [], test: [] });
  });
});

describe('data/bucket', () => {
  const lengths = Array.from({ length: 103 }, (_, i) => (i * 37) % 23);

  it('puts every index in exactly one batch', () => {
    const batches = bucketBatches(lengths, 10, makeRng(1));
    assert.equal(batches.length, 11);
    const seen = batches.flat().sort((a, b) => a - b);
    assert.deepEqual(seen, range(103));
    assert.ok(batches.every(b => b.length <= 10 && b.length > 0));
  });

  it('groups similar lengths: batches do not overlap in length range', () => {
    const batches = bucketBatches(lengths, 10, makeRng(2));
    const ranges = batches.map(b => [Math.min(...b.map(i => lengths[i])), Math.max(...b.map(i => lengths[i]))]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    for (let k = 1; k < ranges.length; k++) assert.ok(ranges[k - 1][1] <= ranges[k][0], `batch ranges overlap: ${JSON.stringify(ranges)}`);
  });

  it('is deterministic for an rng seed and shuffles batch order between seeds', () => {
    assert.deepEqual(bucketBatches(lengths, 8, makeRng(5)), bucketBatches(lengths, 8, makeRng(5)));
    const a = bucketBatches(lengths, 8, makeRng(5)).map(b => b[0]);
    const b = bucketBatches(lengths, 8, makeRng(6)).map(x => x[0]);
    assert.notDeepEqual(a, b);
  });

  it('breaks length ties randomly', () => {
    const equal = new Array(40).fill(5);
    const a = bucketBatches(equal, 40, makeRng(1))[0];
    const b = bucketBatches(equal, 40, makeRng(2))[0];
    assert.notDeepEqual(a, b);
    assert.deepEqual([...a].sort((x, y) => x - y), range(40));
  });

  it('handles empty input and rejects a bad batch size', () => {
    assert.deepEqual(bucketBatches([], 4, makeRng(1)), []);
    assert.throws(() => bucketBatches([1, 2], 0, makeRng(1)), /batchSize/);
  });

  it('filterByLength keeps pairs within both limits and counts the rest', () => {
    const pairs = [
      { source: ['a', 'b'], target: ['x'] },
      { source: ['a', 'b', 'c', 'd'], target: ['x'] },
      { source: ['a'], target: ['x', 'y', 'z'] },
      { source: ['a', 'b', 'c'], target: ['x', 'y'] },
    ];
    assert.deepEqual(filterByLength(pairs, 3, 2), { kept: [0, 3], dropped: 2 });
  });

  it('splitGroups keeps the items of one key in one split, and equals splitPairs without repeated keys', () => {
    const items = range(300).map(i => ({ source: `w${i % 100}`, target: `t${i}` }));
    const { train, valid, test } = splitGroups(items, p => p.source, 0.1, 0.1, 5);
    assert.deepEqual([train.length, valid.length, test.length], [80, 10, 10], 'fractions count groups (100 sources)');
    const where = new Map<string, string>();
    for (const [name, groups] of Object.entries({ train, valid, test })) {
      for (const group of groups) {
        assert.equal(group.length, 3);
        assert.ok(group.every(p => p.source === group[0].source));
        assert.deepEqual(group.map(p => Number(p.target.slice(1))), [0, 100, 200].map(k => k + Number(group[0].source.slice(1))), 'order kept within a group');
        assert.ok(!where.has(group[0].source), `${group[0].source} in ${where.get(group[0].source)} and ${name}`);
        where.set(group[0].source, name);
      }
    }
    const unique = range(50).map(i => ({ source: `s${i}` }));
    const grouped = splitGroups(unique, p => p.source, 0.2, 0.1, 9);
    const plain = splitPairs(unique, 0.2, 0.1, 9);
    assert.deepEqual({ train: grouped.train.flat(), valid: grouped.valid.flat(), test: grouped.test.flat() }, plain, 'old runs keep their split');
  });
});

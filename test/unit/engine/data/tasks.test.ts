import { strict as assert } from 'assert';
import { getTask, listTasks, TASKS, tokenize } from '../../../../src/engine/data';
import type { SentencePair } from '../../../../src/engine/data';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/**
 * An independent reader of the human date formats: returns ISO YYYY-MM-DD and the weekday
 * named in the text (if any). Numeric conventions: M/D/YYYY, YYYY/M/D, D.M.YYYY, YYYYMMDD.
 */
function readHumanDate(text: string): { iso: string; weekday?: number } {
  const pad = (n: number) => String(n).padStart(2, '0');
  const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
  let match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (match) return { iso: `${match[1]}-${match[2]}-${match[3]}` };
  match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (match) return { iso: iso(+match[3], +match[1], +match[2]) };
  match = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(text);
  if (match) return { iso: iso(+match[1], +match[2], +match[3]) };
  match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  if (match) return { iso: iso(+match[3], +match[2], +match[1]) };
  const words = text.toLowerCase().replace(/,/g, ' ').split(/\s+/).filter(w => w && w !== 'of');
  let weekday: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  let year: number | undefined;
  for (const word of words) {
    const wd = WEEKDAYS.findIndex(name => word === name || word === name.slice(0, 3));
    const mo = MONTHS.findIndex(name => word === name || word === name.slice(0, 3));
    if (wd >= 0) weekday = wd;
    else if (mo >= 0) month = mo + 1;
    else if (/^\d{4}$/.test(word)) year = +word;
    else if (/^\d{1,2}(st|nd|rd|th)?$/.test(word)) day = parseInt(word, 10);
    else throw new Error(`unreadable word "${word}" in "${text}"`);
  }
  if (!year || !month || !day) throw new Error(`incomplete date "${text}"`);
  return { iso: iso(year, month, day), weekday };
}

/** The shape of a source with letters, digits and ordinal suffixes abstracted away. */
function shape(text: string): string {
  return text.replace(/\d+(st|nd|rd|th)/g, 'O').replace(/\d{4}/g, 'Y').replace(/\d+/g, 'N').replace(/[A-Z][a-z]+|[a-z]+|[A-Z]+/g, w => (w === 'of' ? w : w === w.toUpperCase() ? 'W' : w[0] === w[0].toUpperCase() ? 'Ww' : 'w'));
}

function sameSeedSame(name: string, size: number): { a: SentencePair[]; c: SentencePair[] } {
  const task = getTask(name);
  const a = task.generate(size, 11);
  const b = task.generate(size, 11);
  const c = task.generate(size, 12);
  assert.deepEqual(a, b, `${name}: same seed, same pairs`);
  assert.equal(task.sizeCounts === 'sources' ? new Set(a.map(p => p.source)).size : a.length, size);
  return { a, c };
}

describe('data/tasks: registry', () => {
  it('lists the eight tasks with descriptions, sizes and shapes', () => {
    const listed = listTasks();
    assert.deepEqual(listed.map(t => t.name), ['dates', 'reverse', 'sort', 'g2p', 'pinyin', 'syllables', 'pinyin-tag', 'words']);
    assert.deepEqual(listed.map(t => t.shape), ['seq2seq', 'seq2seq', 'seq2seq', 'seq2seq', 'seq2seq', 'classify', 'tag', 'generate']);
    for (const t of listed) {
      assert.ok(t.description.length > 10, t.name);
      assert.ok(t.available >= t.defaultSize && t.defaultSize > 0, `${t.name}: ${t.available} ≥ ${t.defaultSize}`);
    }
    assert.ok(listed.find(t => t.name === 'g2p')!.available > 100_000);
  });

  it('getTask returns the task or throws listing the names', () => {
    assert.equal(getTask('dates'), TASKS.dates);
    assert.throws(() => getTask('nope'), /unknown task "nope" \(available: dates, reverse, sort, g2p, pinyin, syllables, pinyin-tag, words\)/);
  });

  it('the shape tasks: syllable counts of CMUdict words, one pinyin tag per character, prompts that fit their words', () => {
    const syllables = getTask('syllables').generate(5000, 1);
    assert.ok(syllables.every(p => /^[a-z]{2,}$/.test(p.source) && /^[1-9][0-9]?$/.test(p.target)));
    const known = new Map(syllables.map(p => [p.source, p.target]));
    if (known.has('banana')) assert.equal(known.get('banana'), '3');
    if (known.has('cat')) assert.equal(known.get('cat'), '1');
    const tags = getTask('pinyin-tag').generate(5000, 1);
    assert.ok(tags.length > 3000);
    assert.ok(tags.every(p => Array.from(p.source).length === p.target.split(' ').length), 'one syllable per character');
    const words = getTask('words').generate(5000, 1);
    assert.ok(words.every(p => {
      const [count, first, last] = p.source.split(' ');
      return /^[1-9][0-9]?$/.test(count) && p.target.startsWith(first) && /^[A-Z]$/.test(last) && p.target.endsWith(last.toLowerCase());
    }));
    assert.throws(() => getTask('toString'), /unknown task/);
  });

  it('every task is deterministic per seed, differs across seeds, and generates its default size (time printed, not asserted)', () => {
    for (const task of Object.values(TASKS)) {
      const { a, c } = sameSeedSame(task.name, 200);
      assert.notDeepEqual(a, c, `${task.name}: a different seed gives different pairs`);
      const started = Date.now();
      const full = task.generate(task.defaultSize, 1);
      const ms = Date.now() - started;
      console.log(`      ${task.name}: ${full.length} pairs in ${ms} ms`);
      assert.equal(full.length, Math.min(task.defaultSize, task.available?.() ?? Infinity));
      assert.ok(full.every(p => p.source.trim() !== '' && p.target.trim() !== ''), `${task.name}: no empty sides`);
    }
  });
});

describe('data/tasks: dates', () => {
  const pairs = getTask('dates').generate(20_000, 3);

  it('targets are valid ISO dates in 1950–2049 and sources are unique', () => {
    for (const { target } of pairs) {
      assert.match(target, /^(19[5-9]\d|20[0-4]\d)-\d{2}-\d{2}$/);
      assert.equal(new Date(`${target}T00:00:00Z`).toISOString().slice(0, 10), target, `${target} is a real day`);
    }
    assert.equal(new Set(pairs.map(p => p.source)).size, pairs.length);
  });

  it('each source reads back to its target, and named weekdays are right', () => {
    let withWeekday = 0;
    for (const { source, target } of pairs.slice(0, 3000)) {
      const read = readHumanDate(source);
      assert.equal(read.iso, target, `"${source}"`);
      if (read.weekday !== undefined) {
        withWeekday++;
        assert.equal(read.weekday, new Date(`${target}T00:00:00Z`).getUTCDay(), `weekday of "${source}"`);
      }
    }
    assert.ok(withWeekday > 100, 'some sources name the weekday');
  });

  it('uses at least 12 distinct formats', () => {
    const shapes = new Set(pairs.map(p => shape(p.source)));
    assert.ok(shapes.size >= 12, [...shapes].join(' | '));
  });

  it('tokenizes as characters on both sides', () => {
    assert.equal(getTask('dates').sourceTokenizer, 'char');
    assert.equal(getTask('dates').targetTokenizer, 'char');
  });
});

describe('data/tasks: reverse and sort', () => {
  it('reverse: 3–12 letters a–z, target reversed', () => {
    for (const { source, target } of getTask('reverse').generate(2000, 1)) {
      assert.match(source, /^[a-z]{3,12}$/);
      assert.equal(target, [...source].reverse().join(''));
    }
  });

  it('sort: target is the sorted letters of the source', () => {
    for (const { source, target } of getTask('sort').generate(2000, 1)) {
      assert.match(source, /^[a-z]{3,12}$/);
      assert.equal(target, [...source].sort().join(''));
      assert.ok([...target].every((ch, i, all) => i === 0 || all[i - 1] <= ch));
    }
  });
});

describe('data/tasks: g2p', () => {
  const all = getTask('g2p').generate(1e9, 1);
  const pronunciations = new Map<string, string[]>();
  for (const p of all) pronunciations.set(p.source, [...(pronunciations.get(p.source) ?? []), p.target]);
  const byWord = new Map([...pronunciations].map(([word, targets]) => [word, targets[0]]));

  it('holds known CMU entries', () => {
    assert.equal(byWord.get('hello'), 'HH AH0 L OW1');
    assert.equal(byWord.get('cat'), 'K AE1 T');
  });

  it('keeps every pronunciation of a word, the dictionary first one first, next to each other', () => {
    // cmu-pronouncing-dictionary: "hello" HH AH0 L OW1, "hello(2)" HH EH0 L OW1; "cat" has one.
    assert.deepEqual(pronunciations.get('hello'), ['HH AH0 L OW1', 'HH EH0 L OW1']);
    assert.deepEqual(pronunciations.get('cat'), ['K AE1 T']);
    const multi = [...pronunciations.values()].filter(t => t.length > 1).length;
    assert.ok(multi > 5000 && multi < 10000, `${multi} words with several pronunciations`);
    const firstIndex = new Map<string, number>();
    all.forEach((p, i) => {
      if (!firstIndex.has(p.source)) firstIndex.set(p.source, i);
      else assert.equal(all[i - 1].source, p.source, `${p.source}'s pronunciations are adjacent`);
    });
  });

  it('samples words, not pairs: a smaller size keeps each sampled word whole', () => {
    const some = getTask('g2p').generate(2000, 3);
    const words = new Set(some.map(p => p.source));
    assert.equal(words.size, 2000);
    for (const word of words) assert.equal(some.filter(p => p.source === word).length, pronunciations.get(word)!.length, word);
  });

  it('has only plain lowercase words and ARPAbet phonemes, no alternate keys', () => {
    for (const { source, target } of all) {
      assert.match(source, /^[a-z]+$/);
      assert.match(target, /^[A-Z]{1,2}[012]?( [A-Z]{1,2}[012]?)*$/);
    }
    assert.ok(![...byWord.keys()].some(k => k.includes('(')));
  });

  it('samples the default size and tokenizes chars → phonemes', () => {
    const task = getTask('g2p');
    assert.equal(task.generate(task.defaultSize, 2).length, task.available!(), 'every pronunciation of every word by default');
    assert.ok(task.available!() > 100_000);
    assert.deepEqual(tokenize(byWord.get('hello')!, task.targetTokenizer, false), ['▁HH', '▁AH0', '▁L', '▁OW1']);
    assert.deepEqual(tokenize('hello', task.sourceTokenizer, false), ['h', 'e', 'l', 'l', 'o']);
  });
});

describe('data/tasks: pinyin', () => {
  const all = getTask('pinyin').generate(1e9, 1);
  const byWord = new Map(all.map(p => [p.source, p.target]));

  it('finds thousands of words in the pinyin-pro dictionaries', () => {
    assert.ok(all.length > 3000, `only ${all.length} words`);
    assert.equal(byWord.size, all.length, 'words are unique');
  });

  it('holds known words with tone-marked pinyin', () => {
    assert.equal(byWord.get('中国'), 'zhōng guó');
    assert.equal(byWord.get('银行'), 'yín háng');
    assert.equal(byWord.get('这个'), 'zhè ge');
  });

  it('has one syllable per Han character', () => {
    for (const { source, target } of all) {
      assert.match(source, /^\p{Script=Han}+$/u);
      const syllables = tokenize(target, getTask('pinyin').targetTokenizer, false);
      assert.equal(syllables.length, tokenize(source, getTask('pinyin').sourceTokenizer, false).length, `${source} → ${target}`);
    }
  });
});

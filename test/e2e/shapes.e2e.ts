/**
 * The views of the RNN shapes inside the real VS Code (code-server + chromium): "Show
 * Prediction Diffs" of a classify run shows its confusion matrix (rows = reference, columns =
 * predicted, per-class scores, macro-F1, a cell's examples on click); of a tag run, its source
 * tokens with their predicted tags (wrong ones marked against the reference, a legend). The
 * classify run's dashboard (from the Runs view) and the comparison of both runs show only the
 * metrics of their shapes, named for them. Writes docs/images/confusion-matrix.png and docs/images/tag-view.png.
 *
 * The fixture runs: a classify and a tag run trained by the engine's CLI before the session
 * (`--set shape=classify|tag`) on hand-made data (`text<TAB>label` with 20 % of the labels
 * flipped, so the matrix has errors; `tokens<TAB>tags`, one tag per token). The matrix shown
 * first must hold the counts of the latest evaluation the engine wrote into metrics.jsonl, and
 * the panel's own predictions of the best checkpoint those of the best evaluation.
 *
 * Run alone (shared machine: hold the harness lock):
 *   flock /tmp/seq2seq-harness.lock sh -c 'npm run build && npm run build:harness && npx mocha --config test/e2e/.mocharc.json test/e2e/shapes.e2e.ts'
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { formatMetric } from '../../src/shared/metrics';
import type { ConfusionMatrix } from '../../src/shared/protocol';
import { EXTENSION_VSIX, ROOT } from '../harness/paths';
import { useHarnessSession } from '../harness/mochaSession';
import { HarnessSession } from '../harness/session';
import { assertNoWebviewErrors, pickQuickItem, shot } from './workflowHelpers';

const LABELS = ['pos', 'neg', 'neutral'];
/** The tag of every word of the tag data. */
const WORDS: Record<string, string[]> = {
  DET: ['the', 'a', 'this', 'that', 'every'],
  ADJ: ['big', 'small', 'red', 'old', 'young', 'happy', 'quiet', 'green'],
  NOUN: ['cat', 'dog', 'bird', 'horse', 'child', 'farmer', 'teacher', 'fish', 'mouse', 'king'],
  VERB: ['runs', 'sleeps', 'eats', 'sings', 'waits', 'swims', 'reads', 'laughs'],
};
const TAGS: Record<string, string> = Object.fromEntries(Object.entries(WORDS).flatMap(([tag, words]) => words.map(w => [w, tag])));

/** A small deterministic generator (the data must not change between runs of the test). */
function lcg(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function classifyData(): string {
  const words = [['good', 'great', 'fine', 'nice', 'happy'], ['bad', 'awful', 'sad', 'poor', 'ugly'], ['table', 'chair', 'blue', 'today', 'door']];
  const random = lcg(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  return Array.from({ length: 400 }, (_, i) => {
    const k = i % 3;
    const text = [pick(words[k]), pick(words[2]), pick(words[k]), pick(words[2])].join(' ');
    // Every fifth label is another class's: the model cannot get those right.
    return `${text}\t${LABELS[random() < 0.2 ? (k + 1) % 3 : k]}`;
  }).join('\n') + '\n';
}

function tagData(): string {
  const random = lcg(11);
  const pick = (xs: string[]) => xs[Math.floor(random() * xs.length)];
  return Array.from({ length: 400 }, (_, i) => {
    const words = [pick(WORDS.DET), pick(WORDS.ADJ), pick(WORDS.NOUN), pick(WORDS.VERB)];
    const sentence = i % 2 ? [words[0], words[2], words[3]] : words;
    return `${sentence.join(' ')}\t${sentence.map(w => TAGS[w]).join(' ')}`;
  }).join('\n') + '\n';
}

function train(data: string, out: string, settings: string[]): void {
  const base = ['hiddenSize=16', 'embeddingSize=8', 'sourceTokenizer=word', 'evalEverySteps=4', 'seed=2', 'patience=0'];
  execFileSync(process.execPath, [path.join(ROOT, 'bin', 'seq2seq-lab.js'), 'train', '--data', data, '--out', out, ...[...base, ...settings].flatMap(s => ['--set', s])], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

interface Evaluation {
  step: number;
  matrix: ConfusionMatrix;
  /** The engine's macro-F1 of that evaluation. */
  macroF1: number;
}

/** The matrices the engine wrote: of the latest validation line, and of the latest best one (the best checkpoint's). */
function evaluations(runDir: string): { latest: Evaluation; best: Evaluation } {
  const lines = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l)).filter(l => l.split === 'valid');
  const at = (line: { step: number; confusion: ConfusionMatrix; macroF1: number }) => ({ step: line.step, matrix: line.confusion, macroF1: line.macroF1 });
  assert.ok(lines.length > 0 && lines.every(l => l.confusion), 'every validation line of a classify run has its matrix');
  return { latest: at(lines[lines.length - 1]), best: at(lines.filter(l => l.best).pop()) };
}

/** Macro-F1 of a matrix as the engine defines it: the mean F1 of the labels with references. */
function macroF1(m: ConfusionMatrix): number {
  const f1s = m.labels.flatMap((_, i) => {
    const support = m.counts[i].reduce((s, c) => s + c, 0);
    const predicted = m.counts.reduce((s, row) => s + row[i], 0);
    return support ? [(2 * m.counts[i][i]) / (support + predicted)] : [];
  });
  return f1s.reduce((s, f) => s + f, 0) / f1s.length;
}


describe('e2e: the views of the classify and tag shapes in VS Code', function () {
  let session: HarnessSession;
  let runsDir: string;
  let latest: Evaluation;
  let best: Evaluation;

  useHarnessSession(
    'shapes',
    () => ({ extensions: [EXTENSION_VSIX], settings: { 'seq2seqLab.runsDirectory': runsDir } }),
    s => (session = s),
    {
      prepare: () => {
        runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-shapes-runs-'));
        fs.writeFileSync(path.join(runsDir, 'classify.tsv'), classifyData());
        fs.writeFileSync(path.join(runsDir, 'tag.tsv'), tagData());
        const classify = path.join(runsDir, 'shape-classify');
        const tag = path.join(runsDir, 'shape-tag');
        train(path.join(runsDir, 'classify.tsv'), classify, ['shape=classify', 'epochs=3']);
        // A few epochs: most tags right, some wrong.
        train(path.join(runsDir, 'tag.tsv'), tag, ['shape=tag', 'epochs=2']);
        // A second classify run on the same data, stopped after one epoch: it labels samples differently.
        train(path.join(runsDir, 'classify.tsv'), path.join(runsDir, 'early-classify'), ['shape=classify', 'epochs=1']);
        ({ latest, best } = evaluations(classify));
      },
      cleanup: failed => failed || !runsDir || fs.rmSync(runsDir, { recursive: true, force: true }),
    },
  );

  const page = () => session.page!;

  const pick = (text: string) => pickQuickItem(page(), text);

  async function cells(frame: Frame): Promise<number[][]> {
    return frame.locator('#confusion tbody tr').evaluateAll(rows => rows.map(r => Array.from(r.querySelectorAll("td.cell"), td => Number(td.getAttribute("data-count")))));
  }

  it('shows a classify run\'s confusion matrix: the latest evaluation\'s counts, per-class scores, macro-F1, a cell\'s examples', async function () {
    this.timeout(240_000);
    await session.runCommand('Seq2Seq: Show Prediction Diffs');
    await pick('shape-classify');
    await pick('Validation split, best checkpoint');
    const frame = await session.webviewFrame('body[data-ready="true"][data-view="confusion"] #confusion', 120_000);
    // Titled by the shape's view (the page's heading and the editor tab), not "Prediction diffs".
    assert.match(await frame.locator('h1').first().innerText(), /^Confusion matrix: shape-classify/);
    await page().locator('.tabs-container .tab', { hasText: 'Confusion matrix: shape-classify' }).first().waitFor({ timeout: 10_000 });
    // The latest validation evaluation is shown first: exactly the counts its metrics line holds.
    assert.match(await frame.locator('#matrix-source option:checked').innerText(), new RegExp(`^Validation, step ${latest.step}\\b`));
    assert.deepEqual(await cells(frame), latest.matrix.counts);
    const m = latest.matrix;
    assert.deepEqual([...m.labels].sort(), [...LABELS].sort());
    assert.deepEqual(await frame.locator('#confusion thead th.label').allInnerTexts(), m.labels, 'columns: the predicted labels');
    assert.deepEqual(await frame.locator('#confusion tbody th.label').allInnerTexts(), m.labels, 'rows: the reference labels');
    assert.equal(await frame.locator('#confusion th[scope="col"]').count(), m.labels.length + 2, 'a header per column (corner, labels, total)');
    // Per class: precision = diagonal ÷ column, recall = diagonal ÷ row (0 where nothing is predicted).
    for (const [i, label] of m.labels.entries()) {
      const predicted = m.counts.reduce((s, row) => s + row[i], 0);
      const recall = m.counts[i][i] / m.counts[i].reduce((s, c) => s + c, 0);
      const precision = predicted ? m.counts[i][i] / predicted : 0;
      assert.deepEqual((await frame.locator(`#class-scores tr[data-label="${label}"] td`).allInnerTexts()).slice(0, 2), [formatMetric('macroF1', precision), formatMetric('macroF1', recall)], label);
    }
    assert.match(await frame.locator('#matrix-summary').innerText(), new RegExp(`macro-F1 ${formatMetric('macroF1', macroF1(m)).replace(/[.]/g, '\\.')}`));
    assert.equal((await frame.locator('#macro-f1 td').allInnerTexts())[2], formatMetric('macroF1', macroF1(m)));
    assert.ok(Math.abs(macroF1(m) - latest.macroF1) < 1e-9, 'the matrix gives the engine\'s macro-F1');
    // Cells are shaded by count: the largest one fully, an empty one not at all.
    const shade = (r: number, c: number) => frame.locator(`#confusion td[data-row="${r}"][data-col="${c}"]`).evaluate(e => Number((e as HTMLElement).style.getPropertyValue('--shade')));
    const max = Math.max(...m.counts.flat());
    const at = (count: number) => m.counts.flatMap((row, r) => row.flatMap((c, k) => (c === count ? [[r, k]] : [])))[0];
    assert.equal(await shade(at(max)[0], at(max)[1]), 1);
    if (at(0)) assert.equal(await shade(at(0)[0], at(0)[1]), 0);
    await shot(session, 'confusion-matrix-dark', 'confusion-matrix');

    // The panel's own predictions: each cell's button lists exactly that many examples.
    await frame.locator('#matrix-source').selectOption('predictions');
    await frame.locator('body[data-matrix="predictions"]').waitFor({ timeout: 10_000 });
    const predicted = await cells(frame);
    const total = predicted.flat().reduce((s, c) => s + c, 0);
    assert.equal(String(total), await frame.locator('body').getAttribute('data-samples'), 'every predicted sample is counted once');
    // The best checkpoint predicting the validation split again: the best evaluation's counts.
    assert.deepEqual(await frame.locator('#confusion thead th.label').allInnerTexts(), best.matrix.labels);
    assert.deepEqual(predicted, best.matrix.counts, `the predictions of the best checkpoint (step ${best.step}) as its evaluation counted them`);
    const buttons = frame.locator('#confusion .cell-button');
    assert.ok((await buttons.count()) >= 1);
    const button = buttons.last();
    const cell = button.locator('xpath=..');
    const count = Number(await cell.getAttribute('data-count'));
    await button.focus();
    await page().keyboard.press('Enter');
    await frame.locator('#cell-examples ol.examples li').first().waitFor({ timeout: 10_000 });
    assert.equal(await frame.locator('#cell-examples').getAttribute('data-count'), String(count));
    assert.equal(await frame.locator('#cell-examples ol.examples li').count(), Math.min(count, 200));
    const [r, c] = [Number(await cell.getAttribute('data-row')), Number(await cell.getAttribute('data-col'))];
    const headers = await frame.locator('#confusion thead th.label').allInnerTexts();
    for (const text of await frame.locator('#cell-examples ol.examples li strong').allInnerTexts()) assert.equal(text, headers[c], `predicted ${headers[c]} (row ${headers[r]})`);
    await assertNoWebviewErrors(frame);
  });

  it('compares two classify runs on the same data as two confusion matrices side by side, with the samples they label differently', async function () {
    this.timeout(240_000);
    await session.runCommand('View: Close All Editors');
    await session.runCommand('Seq2Seq: Compare Predictions of Two Runs');
    await page().locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible', timeout: 30_000 });
    for (const name of ['shape-classify', 'early-classify']) await page().locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
    await page().locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
    const frame = await session.webviewFrame('body[data-ready="true"][data-view="confusion-compare"] #confusion-compare', 120_000);
    assert.match(await frame.locator('h1').first().innerText(), /^Compare runs: /);
    const labels = [await frame.locator('#label-a').innerText(), await frame.locator('#label-b').innerText()];
    assert.deepEqual(labels.map(l => l.replace(/^[AB]: /, '').split(' · ')[0]).sort(), ['early-classify', 'shape-classify']);
    // shape-classify's best checkpoint predicting the validation split: the best evaluation's counts.
    const side = labels[0].startsWith('A: shape-classify') ? 'a' : 'b';
    const counts = (id: string) => frame.locator(`#${id} tbody tr`).evaluateAll(rows => rows.map(r => Array.from(r.querySelectorAll('td.cell'), td => Number(td.getAttribute('data-count')))));
    assert.deepEqual(await frame.locator(`#confusion-${side} thead th.label`).allInnerTexts(), best.matrix.labels);
    assert.deepEqual(await counts(`confusion-${side}`), best.matrix.counts);
    const samples = Number(await frame.locator('body').getAttribute('data-samples'));
    const totalOf = async (id: string) => (await counts(id)).flat().reduce((sum, c) => sum + c, 0);
    assert.equal(await totalOf('confusion-a'), samples);
    assert.equal(await totalOf('confusion-b'), samples);
    // The summary adds up; every listed disagreement shows two different labels, the right one marked.
    const [, total, bothRight, onlyA, onlyB, bothWrong, labelled] = /^(\d+) samples: both right (\d+) · only A right (\d+) · only B right (\d+) · both wrong (\d+) · labelled differently (\d+)$/.exec(await frame.locator('#compare-summary').innerText())!.map(Number);
    assert.equal(total, samples);
    assert.equal(bothRight + onlyA + onlyB + bothWrong, samples);
    assert.equal(Number(await frame.locator('#confusion-compare').getAttribute('data-disagreements')), labelled);
    assert.ok(labelled >= 1 && labelled >= onlyA + onlyB, `${labelled} labelled differently, ${onlyA} + ${onlyB} right in only one`);
    const rows = await frame.locator('#disagreements tbody tr').evaluateAll(trs => trs.map(tr => ({ right: tr.getAttribute('data-right'), cells: Array.from(tr.querySelectorAll('td'), td => ({ text: td.textContent ?? '', right: td.classList.contains('right') })) })));
    assert.equal(rows.length, labelled);
    for (const { right, cells } of rows) {
      const [, , reference, a, b] = cells;
      assert.notEqual(a.text, b.text);
      assert.equal(a.right, a.text === reference.text, `A marked right exactly when it is the reference (${right})`);
      assert.equal(b.right, b.text === reference.text, `B marked right exactly when it is the reference (${right})`);
    }
    assert.equal(rows.filter(r => r.right === 'a').length, onlyA);
    assert.equal(rows.filter(r => r.right === 'b').length, onlyB);
    await assertNoWebviewErrors(frame);
    await shot(session, 'confusion-compare-dark', 'confusion-compare');
  });

  it('shows a tag run\'s tokens coloured by their predicted tag, wrong tags marked against the reference, with a legend', async function () {
    this.timeout(240_000);
    await session.runCommand('View: Close All Editors');
    await session.runCommand('Seq2Seq: Show Prediction Diffs');
    await pick('shape-tag');
    await pick('Validation split, best checkpoint');
    const frame = await session.webviewFrame('body[data-ready="true"][data-view="tags"] #tag-rows', 120_000);
    assert.match(await frame.locator('h1').first().innerText(), /^Tagged predictions: shape-tag/);
    await page().locator('.tabs-container .tab', { hasText: 'Tagged predictions: shape-tag' }).first().waitFor({ timeout: 10_000 });
    const samples = Number(await frame.locator('body').getAttribute('data-samples'));
    assert.ok(samples >= 10, `${samples} samples`);
    assert.equal(await frame.locator('body').getAttribute('data-tag-rows'), String(samples));
    // Every token carries the reference tag the data gives its word, and its predicted tag.
    const tokens = await frame.locator('.tag-token').evaluateAll(nodes => nodes.map(n => ({
      word: n.querySelector('.tok')!.textContent!, tag: n.getAttribute('data-tag')!, reference: n.getAttribute('data-reference'), wrong: n.classList.contains('wrong'), color: (n as HTMLElement).style.getPropertyValue('--tag-color'),
    })));
    assert.ok(tokens.length >= samples * 3, `${tokens.length} tokens`);
    for (const t of tokens) {
      assert.equal(t.reference, TAGS[t.word], `the reference tag of "${t.word}"`);
      assert.equal(t.wrong, t.tag !== t.reference, `"${t.word}" marked wrong exactly when its tag differs`);
      assert.equal(t.color.length > 0, t.tag !== '', 'coloured by its tag (a missing tag, ∅, is not)');
    }
    // A stable colour per tag: equal tags, equal colours; the legend names them.
    const colorOf = new Map<string, string>();
    for (const t of tokens) {
      if (colorOf.has(t.tag)) assert.equal(colorOf.get(t.tag), t.color, `one colour for ${t.tag}`);
      colorOf.set(t.tag, t.color);
    }
    const legend = await frame.locator('#tag-legend li[data-tag]').evaluateAll(items => items.map(i => i.getAttribute('data-tag')!));
    for (const tag of new Set(Object.values(TAGS))) assert.ok(legend.includes(tag), `legend has ${tag}`);
    const right = tokens.filter(t => !t.wrong).length;
    assert.match(await frame.locator('#tags-summary').innerText(), new RegExp(`^${samples} samples · tag accuracy ${formatMetric('tokenAccuracy', right / tokens.length).replace(/[.]/g, '\\.')}`));
    await assertNoWebviewErrors(frame);
    await shot(session, 'tag-view-dark', 'tag-view');
    // Only the samples with a wrong tag.
    await frame.getByLabel('Only samples with a wrong tag', { exact: true }).check();
    const wrongRows = await frame.locator('.tag-row').count();
    assert.equal(wrongRows, await frame.locator('.tag-row.has-wrong').count());
  });

  it('opens a classify run\'s dashboard from the Runs view with its curves only, named for it', async function () {
    this.timeout(120_000);
    await session.runCommand('View: Close All Editors');
    const row = page().locator('.pane-body .monaco-list-row:visible', { hasText: 'shape-classify' }).first();
    if (!(await row.isVisible().catch(() => false))) await page().locator('.part.activitybar .action-item a[aria-label^="Seq2Seq Lab"], .part.activitybar .action-item[aria-label^="Seq2Seq Lab"]').first().click();
    await row.click();
    const dash = await session.webviewFrame('body[data-ready="true"][data-shape="classify"] #chart-accuracy', 60_000);
    const visible = await dash.locator('figure.chart').evaluateAll(figures => figures.filter(f => !(f as HTMLElement).hidden).map(f => f.getAttribute('data-chart')));
    assert.ok(!visible.includes('bleu') && !visible.includes('errorRate') && !visible.includes('exposureLoss'), `no sequence charts: ${visible.join(', ')}`);
    assert.ok(visible.includes('loss') && visible.includes('accuracy'));
    assert.equal(await dash.locator('figure[data-chart="accuracy"] figcaption').innerText(), 'Accuracy');
    assert.match((await dash.locator('#chart-accuracy').getAttribute('aria-label'))!, /^Accuracy: Accuracy [\d.]+ at step \d+/);
    await assertNoWebviewErrors(dash);
  });

  it('compares the classify and tag runs with their metrics only: no BLEU or error-rate column or chart', async function () {
    this.timeout(120_000);
    await session.runCommand('View: Close All Editors');
    await session.runCommand('Seq2Seq: Compare Runs');
    await page().locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible', timeout: 30_000 });
    for (const name of ['shape-classify', 'shape-tag']) await page().locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
    await page().locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
    const comparison = await session.webviewFrame('body[data-ready="true"] #final-metrics', 60_000);
    const columns = await comparison.locator('#final-metrics th[data-metric]').evaluateAll(ths => ths.map(th => th.getAttribute('data-metric')));
    assert.deepEqual(columns, ['exactMatch', 'tokenAccuracy', 'loss', 'macroF1'], 'the metrics of classify and tag');
    assert.equal(await comparison.locator('#chart-bleu').count(), 0);
    assert.equal(await comparison.locator('#chart-cer').count(), 0);
    assert.equal(await comparison.locator('#chart-macroF1').count(), 1);
    await assertNoWebviewErrors(comparison);
  });
});

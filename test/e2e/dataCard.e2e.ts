/**
 * The dataset card in the real VS Code (code-server) with the real engine: Train Model → File →
 * Choose file… through VS Code's own file dialog → the card shows the file's pairs, its bad lines
 * with their line numbers, duplicates, both sides' tokenizers and the warnings, before Start.
 * A data setting typed in the form makes a new card (debounced); a file the engine refuses
 * shows the engine's reason in the card. Writes docs/images/dataset-card.png.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { EXTENSION_VSIX } from '../harness/paths';
import { useHarnessSession } from '../harness/mochaSession';
import { HarnessSession, waitFor } from '../harness/session';
import { shot } from './workflowHelpers';

/** 300 English → reversed-word pairs of 2–6 words, with 3 lines missing their tab (lines 7, 120, 250) and 5 exact duplicates. */
function brokenCorpus(): string {
  const words = ['red', 'green', 'blue', 'small', 'large', 'cat', 'dog', 'bird', 'runs', 'sleeps', 'eats', 'fast', 'slowly', 'today', 'here'];
  const lines: string[] = [];
  for (let i = 0; lines.length < 300; i++) {
    const sentence = Array.from({ length: 2 + (i % 5) }, (_, k) => words[(i * (k + 3) + k * 7) % words.length]).join(' ');
    lines.push(`${sentence} ${i}\t${sentence.split(' ').reverse().join(' ')} ${i}`);
  }
  for (const n of [7, 120, 250]) lines[n - 1] = `a line without its tab ${n}`;
  for (const n of [40, 41, 42, 43, 44]) lines[n + 100] = lines[n];
  return lines.join('\n') + '\n';
}

describe('e2e: dataset card in the Train Model form', function () {
  this.timeout(240_000);
  let session: HarnessSession;
  let form: Frame;

  useHarnessSession('data-card', () => ({ extensions: [EXTENSION_VSIX] }), s => (session = s));

  const page = () => session.page!;
  const card = () => form.locator('#data-card');

  /** Choose file… and type the path into VS Code's file dialog (code-server has no native one). */
  async function chooseFile(file: string): Promise<void> {
    await form.getByRole('button', { name: 'Choose file…' }).click();
    const input = page().locator('.quick-input-widget .quick-input-box input');
    // The dialog fills in the workspace folder and lists it first; typing before that is overwritten.
    await page().locator('.quick-input-list .monaco-list-row', { hasText: path.basename(file) }).first().waitFor({ timeout: 30_000 });
    await input.fill(file);
    await waitFor('the dialog to take the typed path', async () => ((await input.inputValue()) === file ? true : undefined), 10_000);
    await input.press('Enter');
    await waitFor(`the form shows ${path.basename(file)}`, async () => ((await form.locator('#data-path').innerText()).endsWith(path.basename(file)) ? true : undefined), 30_000);
  }

  async function cardState(state: 'ready' | 'failed', timeoutMs = 90_000): Promise<void> {
    await form.locator(`#data-card[data-state="${state}"]`).waitFor({ timeout: timeoutMs });
  }

  before(async () => {
    fs.writeFileSync(path.join(session.workspace, 'pairs.tsv'), brokenCorpus());
    fs.writeFileSync(path.join(session.workspace, 'not-pairs.tsv'), Array.from({ length: 40 }, (_, i) => `just some words ${i}`).join('\n'));
    await session.runCommand('Seq2Seq: Train Model');
    form = await session.webviewFrame('body[data-ready="true"] #field-hiddenSize', 60_000);
    assert.equal(await card().isHidden(), true, 'no card before a file is chosen');
  });

  it('shows the card of a chosen file before Start: pairs, bad lines by number, duplicates, tokenizers, warnings', async () => {
    await form.getByRole('radio', { name: 'File' }).click();
    await chooseFile(path.join(session.workspace, 'pairs.tsv'));
    await cardState('ready');
    const overview = await card().locator('.data-overview').innerText();
    assert.match(overview, /Pairs\s+297 in 300 lines/);
    assert.match(overview, /Bad lines\s+3\b/);
    assert.match(overview, /Duplicates\s+5\b/);
    const warnings = card().locator('.data-warning');
    assert.ok((await warnings.count()) >= 2, 'at least the bad-lines and duplicates warnings');
    assert.match(await card().locator('[data-warning="badLines"]').innerText(), /^3 of 300 lines are malformed and are skipped \(first: line 7: missing tab/);
    assert.match(await card().locator('[data-warning="duplicates"]').innerText(), /^5 pairs repeat an earlier pair exactly/);
    await card().locator('.bad-lines summary').click();
    assert.deepEqual(
      (await card().locator('.bad-lines li').allInnerTexts()).map(t => t.replace(/:.*/, '')),
      ['line 7', 'line 120', 'line 250'],
    );
    const sides = await card().locator('table.data-sides').innerText();
    assert.match(sides, /Tokenizer\s+(char|word|cjk|subword) \(auto/, 'auto resolved to a concrete tokenizer, said so');
    assert.match(sides, /Tokens p50 \/ p90 \/ p99 \/ max\s+\d+ \/ \d+ \/ \d+ \/ \d+/);
    assert.match(sides, /Vocabulary\s+\d+/);
    assert.equal(await form.locator('body').getAttribute('data-csp-violations'), null);
    assert.equal(await form.locator('body').getAttribute('data-errors'), null);
    await card().scrollIntoViewIfNeeded();
    await shot(session, 'dataset-card', 'dataset-card');
  });

  it('makes a new card when a data setting changes: a tight length limit leaves pairs out', async () => {
    const limit = form.getByRole('textbox', { name: 'Max source length', exact: true });
    await limit.fill('4');
    await waitFor('the card to follow the new limit', async () => ((await card().getAttribute('data-state')) === 'ready' && (await card().locator('[data-warning="overLimit"]').count()) > 0 ? true : undefined), 90_000);
    assert.match(await card().locator('[data-warning="overLimit"]').innerText(), /pairs are longer than the length limits \(4 source/);
    assert.match(await card().locator('table.data-sides').innerText(), /Over the length limit\s+[1-9][\d,]* \(limit 4\)/);
    await limit.fill('50');
    await waitFor('the card without the limit warning', async () => ((await card().getAttribute('data-state')) === 'ready' && (await card().locator('[data-warning="overLimit"]').count()) === 0 ? true : undefined), 90_000);
  });

  it('shows why the engine refuses a file in the card', async () => {
    await chooseFile(path.join(session.workspace, 'not-pairs.tsv'));
    await cardState('failed');
    const status = await card().locator('#data-card-status').innerText();
    assert.match(status, /^The data could not be read: .*(malformed|missing tab|bad lines)/i, status);
    assert.equal(await card().locator('#data-card-status').getAttribute('role'), 'alert');
    await chooseFile(path.join(session.workspace, 'pairs.tsv'));
    await cardState('ready');
  });
});

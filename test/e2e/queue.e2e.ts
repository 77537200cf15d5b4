/**
 * The run queue inside the real VS Code (code-server + chromium): a sweep of 4 small runs
 * (hidden size 8, 12 × 2 seeds) queued from the Train Model form, the Queue view listing them,
 * a window reload while the first trial trains, and the queue going on after it: every trial
 * ends completed with its own settings, and queue.json ends empty. Its Queue-view screenshot is
 * docs/images/queue.png.
 *
 * Run alone (shared machine: hold the harness lock):
 *   HARNESS_CACHE=/work/main/.vscode-test flock /tmp/seq2seq-harness.lock sh -c 'npm run build:harness && npx mocha --no-config -r tsx/cjs --timeout 900000 --slow 10000 test/e2e/queue.e2e.ts'
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { EXTENSION_VSIX } from '../harness/paths';
import { useHarnessSession } from '../harness/mochaSession';
import { HarnessSession, waitFor } from '../harness/session';

/** Each trial: a few thousand dates, three epochs (tens of seconds on a quiet machine: long enough to reload during one). */
const TINY: Record<string, string> = {
  'Task size': '4000',
  Epochs: '3',
  'Embedding size': '8',
  'Batch size': '16',
  'Evaluation samples': '20',
  'Evaluate every (steps)': '5',
  Patience: '0',
  'Training threads': '1',
};

interface TrialDir { name: string; manifest?: { state?: string }; config?: { hiddenSize?: number; seed?: number } }

function trials(runsDir: string): TrialDir[] {
  return fs.readdirSync(runsDir).filter(n => n.startsWith('sweep-')).map(name => {
    const read = (file: string) => {
      try {
        return JSON.parse(fs.readFileSync(path.join(runsDir, name, file), 'utf8'));
      } catch {
        return undefined;
      }
    };
    return { name, manifest: read('manifest.json'), config: read('config.json')?.config };
  });
}

describe('e2e: the run queue and a sweep from the form', function () {
  let session: HarnessSession;
  let runsDir: string;
  let form: Frame;

  useHarnessSession(
    'queue',
    () => ({ extensions: [EXTENSION_VSIX], settings: { 'seq2seqLab.runsDirectory': runsDir } }),
    s => (session = s),
    {
      prepare: () => {
        runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-queue-runs-'));
      },
      cleanup: failed => failed || !runsDir || fs.rmSync(runsDir, { recursive: true, force: true }),
    },
  );

  it('Sweep in the form queues 4 trials (hidden size 8, 12 × 2 seeds); the Queue view lists them', async function () {
    this.timeout(300_000);
    await session.runCommand('Seq2Seq: Train Model');
    form = await session.webviewFrame('body[data-ready="true"] #field-hiddenSize', 60_000);
    await form.getByRole('radio', { name: 'Built-in task' }).click();
    await form.locator('#task').click();
    await form.locator('#task vscode-option', { hasText: /^\s*dates —/ }).first().click();
    for (const [label, text] of Object.entries(TINY)) await form.getByRole('textbox', { name: label, exact: true }).fill(text);
    await form.getByRole('textbox', { name: 'Hidden size', exact: true }).fill('8, 12');
    // A field with several values is a sweep: Start and Queue wait for Sweep.
    assert.equal(await form.locator('#start').evaluate(e => (e as unknown as { disabled: boolean }).disabled), true);
    await form.getByRole('textbox', { name: 'Seeds per setting', exact: true }).fill('2');
    assert.match(await form.locator('#sweep-message').innerText(), /Sweep over hiddenSize with 2 seed\(s\) per setting/);
    await form.getByRole('button', { name: 'Sweep' }).click();
    // Read from the files, not the form: the first trial starts at once and its dashboard may take the form's place.
    const queueFile = path.join(runsDir, 'queue.json');
    await waitFor('the 4 trials to be queued (or the first already training)', async () => {
      if (!fs.existsSync(queueFile)) return undefined;
      const waiting = (JSON.parse(fs.readFileSync(queueFile, 'utf8')) as { items: unknown[] }).items.length;
      return waiting >= 3 && waiting + trials(runsDir).length >= 4 ? true : undefined;
    }, 60_000, 500);
    const saved = JSON.parse(fs.readFileSync(path.join(runsDir, 'queue.json'), 'utf8')) as { items: Array<{ request: { config: { hiddenSize: number; seed: number } } }> };
    // The first trial may already have left the queue to train (one at a time): the rest wait in order.
    const queued = saved.items.map(i => [i.request.config.hiddenSize, i.request.config.seed]);
    assert.ok(queued.length >= 3, JSON.stringify(queued));
    assert.deepEqual(queued, [[8, 1], [8, 2], [12, 1], [12, 2]].slice(4 - queued.length));
    await session.runCommand('Focus on Queue View');
    const rows = session.page!.locator('.monaco-list-row', { hasText: /sweep-.*trial/ });
    await waitFor('the Queue view to list the trials', async () => ((await rows.count()) >= 1 ? true : undefined), 60_000, 500);
    await session.screenshot('queue-view');
  });

  it('a window reload while a trial trains leaves the queue going on: all 4 complete with their settings', async function () {
    this.timeout(900_000);
    await waitFor('the first trial to train', async () => (trials(runsDir).some(t => t.manifest?.state === 'running') ? true : undefined), 300_000, 500);
    await session.page!.reload();
    await session.page!.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await waitFor(
      'every trial to complete',
      async () => {
        const all = trials(runsDir);
        return all.length === 4 && all.every(t => t.manifest?.state === 'completed') ? true : undefined;
      },
      780_000,
      2000,
    );
    const all = trials(runsDir);
    assert.deepEqual(all.map(t => `${t.config?.hiddenSize}/${t.config?.seed}`).sort(), ['12/1', '12/2', '8/1', '8/2']);
    await waitFor('queue.json to end empty', async () => (JSON.parse(fs.readFileSync(path.join(runsDir, 'queue.json'), 'utf8')).items.length === 0 ? true : undefined), 30_000, 500);
    await session.screenshot('queue-after-reload');
  });
});

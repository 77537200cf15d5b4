/**
 * The exposure-bias remedies side by side inside the real VS Code: `seq2seq-lab remedies` trains
 * teacher forcing, scheduled sampling and an RL fine-tune on a numbers → words corpus (long
 * character-level outputs, where exposure bias shows) into the runs folder before the session;
 * "Compare Runs" on the three draws their exposure-gap and free-running-accuracy curves on shared
 * axes. The screenshot is the README's (docs/images/remedies.png).
 *
 * Run alone (shared machine: hold the harness lock):
 *   flock /tmp/seq2seq-harness.lock bash -c 'npm run build && npm run build:harness && npx mocha --config test/e2e/.mocharc.json test/e2e/remedies.e2e.ts'
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { numbersCorpus } from '../../scripts/corpora/numbers';
import { writeTsv } from '../../scripts/corpora/tsv';
import { EXTENSION_VSIX, ROOT } from '../harness/paths';
import { useHarnessSession } from '../harness/mochaSession';
import type { HarnessSession } from '../harness/session';
import { shot } from './workflowHelpers';

/** About 50 s here: small enough for the suite, trained enough that the free-running loss is well above the teacher-forced one. */
const SETTINGS = ['targetTokenizer=char', 'embeddingSize=32', 'hiddenSize=64', 'batchSize=32', 'evalEverySteps=20', 'evalSamples=100', 'samplingDecay=60'];
const REMEDIES = ['teacher-forcing', 'scheduled-sampling', 'rl'];

describe('e2e: the three exposure-bias remedies compared in VS Code', function () {
  let session: HarnessSession;
  let runsDir: string;
  let summary: { remedies: string; rows: Array<{ remedy: string; state: string; exposureGap: number }> };

  useHarnessSession(
    'remedies',
    () => ({ extensions: [EXTENSION_VSIX], settings: { 'seq2seqLab.runsDirectory': runsDir } }),
    s => (session = s),
    {
      prepare: () => {
        runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-remedies-runs-'));
        const data = path.join(runsDir, '..', `${path.basename(runsDir)}-numbers.tsv`);
        writeTsv(data, numbersCorpus({ lines: 1500 }));
        const stdout = execFileSync(process.execPath, [
          path.join(ROOT, 'bin', 'seq2seq-lab.js'), 'remedies', '--data', data, '--out', runsDir, '--name', 'numbers', '--epochs', '3', '--rl-epochs', '1',
          ...SETTINGS.flatMap(s => ['--set', s]),
        ], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
        summary = JSON.parse(stdout.trim().split('\n').pop()!);
        fs.rmSync(data, { force: true });
      },
      cleanup: failed => failed || !runsDir || fs.rmSync(runsDir, { recursive: true, force: true }),
    },
  );

  const page = () => session.page!;

  it('one command trains the three runs side by side and writes their summary', () => {
    for (const remedy of REMEDIES) {
      const manifest = JSON.parse(fs.readFileSync(path.join(runsDir, `numbers-${remedy}`, 'manifest.json'), 'utf8'));
      assert.equal(manifest.state, 'completed', remedy);
    }
    assert.equal(summary.remedies, path.join(runsDir, 'numbers.remedies.json'));
    assert.deepEqual(summary.rows.map(r => r.remedy), REMEDIES);
    // Long outputs: feeding its own predictions costs the teacher-forced model something.
    assert.ok(summary.rows[0].exposureGap > 0.05, `teacher forcing's gap ${summary.rows[0].exposureGap}`);
  });

  it('"Compare Runs" draws the three runs\' exposure gap and free-running accuracy on shared axes', async function () {
    this.timeout(180_000);
    await session.runCommand('Seq2Seq: Compare Runs');
    const quickInput = page().locator('.quick-input-widget .quick-input-box input');
    await quickInput.waitFor({ state: 'visible', timeout: 30_000 });
    for (const remedy of REMEDIES) await page().locator('.quick-input-list .monaco-list-row', { hasText: `numbers-${remedy}` }).first().click();
    await page().locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
    const comparison: Frame = await session.webviewFrame('body[data-ready="true"] #hyperparameters', 60_000);
    assert.equal(await comparison.locator('body').getAttribute('data-runs'), '3');
    const differing = await comparison.locator('#hyperparameters tr.differs').evaluateAll(rows => rows.map(r => r.getAttribute('data-key')));
    for (const key of ['scheduledSampling', 'objective']) assert.ok(differing.includes(key), `${key} differs: ${differing.join(', ')}`);
    for (const metric of ['exposureGap', 'freeRunAccuracy', 'loss']) {
      assert.equal(await comparison.locator(`#chart-${metric}`).getAttribute('data-lines'), '3', `${metric}: a line per remedy`);
    }
    assert.equal(await comparison.locator('#final-metrics tbody tr').count(), 3);
    const body = comparison.locator('body');
    assert.equal(await body.getAttribute('data-csp-violations'), null, 'no CSP violations in the webview');
    assert.equal(await body.getAttribute('data-errors'), null, 'no errors reported by the webview');
    // The curves in view for the README's picture.
    await comparison.locator('#chart-exposureGap').scrollIntoViewIfNeeded();
    await shot(session, 'remedies-dark', 'remedies');
  });
});

/**
 * Browser smoke test: the packaged extension in code-server, driven through the workbench UI in
 * headless chromium. Run with `npm run test:e2e` (which packages the .vsix first).
 */
import * as assert from 'assert';
import { EXTENSION_VSIX } from '../harness/paths';
import { useHarnessSession } from '../harness/mochaSession';
import { HarnessSession } from '../harness/session';

describe('e2e: smoke', function () {
  let session: HarnessSession;

  useHarnessSession('smoke', () => ({ extensions: [EXTENSION_VSIX] }), s => (session = s));


  it('shows the workbench with the test workspace', async () => {
    const page = session.page!;
    assert.match(await page.title(), /workspace/i);
    await session.screenshot('workbench');
  });

  it('runs "Seq2Seq: Show Engine Info" from the palette', async () => {
    await session.runCommand('Seq2Seq: Show Engine Info');
    const text = await session.notification(/Seq2Seq Lab \d+\.\d+\.\d+/);
    assert.match(text, /child process/);
  });

  it('runs "Seq2Seq: Open Welcome" and shows the heading inside the webview', async () => {
    await session.runCommand('Seq2Seq: Open Welcome');
    const frame = await session.webviewFrame('h1#title');
    assert.strictEqual((await frame.locator('h1#title').textContent())?.trim(), 'Seq2Seq Lab');
    // The nonce'd script ran (CSP allows it) ...
    await frame.locator('body[data-ready="true"]').waitFor({ timeout: 10_000 });
    assert.strictEqual(await frame.locator('#status').textContent(), 'Ready');
    // ... and the stylesheet loaded through asWebviewUri (CSP style-src webview.cspSource).
    const weight = await frame.locator('h1#title').evaluate(el => getComputedStyle(el).fontWeight);
    assert.strictEqual(weight, '600');
    // The editor tab is there too.
    await session.page!.locator('.tabs-container .tab', { hasText: 'Seq2Seq Lab' }).first().waitFor();
    await session.screenshot('welcome');
  });
});

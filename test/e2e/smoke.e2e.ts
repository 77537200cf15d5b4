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
    // The engine starts for it (seconds): the notification names what that process runs on.
    const text = await session.notification(/Seq2Seq Lab \d+\.\d+\.\d+/, 90_000);
    assert.match(text, /child process, TensorFlow\.js \d+\.\d+\.\d+ on the (tensorflow|wasm|cpu) backend/);
  });
});

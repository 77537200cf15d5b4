/**
 * extensionTestsPath for @vscode/test-electron: runs the same compiled integration tests
 * (out/integration) as the code-server harness, in a downloaded VS Code's extension host.
 */
import * as path from 'path';
import { runMocha } from '../harness/runner-extension/src/mochaRunner';

export async function run(): Promise<void> {
  const results = await runMocha(path.resolve(__dirname, '..', 'integration'));
  for (const t of results.tests) {
    console.log(`${t.state === 'passed' ? '  ✓' : t.state === 'failed' ? '  ✗' : '  -'} ${t.fullTitle}`);
    if (t.error) console.log(`      ${t.error.stack ?? t.error.message}`);
  }
  console.log(`${results.passes} passing, ${results.failures} failing, ${results.pending} pending`);
  if (results.error) throw new Error(results.error);
  if (results.failures > 0) throw new Error(`${results.failures} test(s) failed`);
}

/**
 * tfjs-node detection: a package without its native binding (npm 11 skips install scripts unless
 * approved; the libtensorflow download can fail) is refused before it is imported, because
 * importing it loads a second tfjs and re-registers every kernel before failing.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tfjsNodeBindingProblem } from '../../../src/engine/backend';

describe('backend: tfjs-node detection', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seq2seq-tfjs-node-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"@tensorflow/tfjs-node"}');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('says "not installed" when the package does not resolve', () => {
    assert.equal(
      tfjsNodeBindingProblem(() => {
        throw new Error('Cannot find module');
      }),
      'not installed',
    );
  });

  it('refuses a package whose install script never built the binding, naming the folder', () => {
    const problem = tfjsNodeBindingProblem(() => path.join(dir, 'package.json'));
    assert.match(problem ?? '', /without its native binding/);
    assert.ok(problem?.includes(path.join(dir, 'lib')), problem);
  });

  it('accepts a package with lib/napi-v*/tfjs_binding.node', () => {
    fs.mkdirSync(path.join(dir, 'lib', 'napi-v8'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lib', 'napi-v8', 'tfjs_binding.node'), '');
    assert.equal(tfjsNodeBindingProblem(() => path.join(dir, 'package.json')), undefined);
  });
});

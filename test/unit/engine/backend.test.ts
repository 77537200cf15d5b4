/**
 * tfjs-node detection: a package without its native binding (npm 11 skips install scripts unless
 * approved; the libtensorflow download can fail) is refused before it is imported, because
 * importing it loads a second tfjs and re-registers every kernel before failing.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tfjsNodeBindingProblem, tryLoadTfjsNode } from '../../../src/engine/backend';

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

  it('tries @tensorflow/tfjs-node-gpu first, then @tensorflow/tfjs-node, loading only one with a binding', () => {
    fs.mkdirSync(path.join(dir, 'lib', 'napi-v8'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lib', 'napi-v8', 'tfjs_binding.node'), '');
    const loads: string[] = [];
    const missing = (name: string) => {
      if (name.endsWith('-gpu')) throw new Error('Cannot find module');
      return path.join(dir, 'package.json');
    };
    assert.deepEqual(tryLoadTfjsNode(missing, name => loads.push(name)), { loaded: '@tensorflow/tfjs-node', problems: ['@tensorflow/tfjs-node-gpu: not installed'] });
    assert.deepEqual(loads, ['@tensorflow/tfjs-node']);
    loads.length = 0;
    assert.equal(tryLoadTfjsNode(() => path.join(dir, 'package.json'), name => loads.push(name)).loaded, '@tensorflow/tfjs-node-gpu');
    assert.deepEqual(loads, ['@tensorflow/tfjs-node-gpu']);
    const failing = tryLoadTfjsNode(() => path.join(dir, 'package.json'), name => {
      throw new Error(`${name}: libcudart.so.11.0: cannot open shared object file\nstack`);
    });
    assert.equal(failing.loaded, undefined);
    assert.equal(failing.problems.length, 2);
    assert.match(failing.problems[0], /^@tensorflow\/tfjs-node-gpu: .*libcudart/);
  });
});

// Builds the optional native kernels (native/: matmul, LSTM layer, Adam; N-API + OpenBLAS) after `npm install`.
//
// Never fails the install: without a compiler, Node's headers or OpenBLAS's headers and library
// it says what is missing and the engine keeps tfjs's own WASM kernels. `SEQ2SEQ_NATIVE_BLAS=0`
// skips the build. On Debian/Ubuntu: `apt-get install libopenblas-dev`; macOS: `brew install openblas`.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = message => process.stdout.write(`native kernels (matmul, LSTM, Adam): ${message}\n`);

function cblasInclude() {
  const dirs = ['/usr/include', '/usr/local/include', '/usr/include/openblas', '/opt/homebrew/opt/openblas/include', '/usr/local/opt/openblas/include'];
  for (const base of ['/usr/include']) {
    if (fs.existsSync(base)) dirs.push(...fs.readdirSync(base).filter(d => /-linux-gnu/.test(d)).map(d => path.join(base, d)));
  }
  return dirs.find(dir => fs.existsSync(path.join(dir, 'cblas.h')));
}

function nodeGyp() {
  if (process.env.npm_config_node_gyp) return [process.execPath, [process.env.npm_config_node_gyp]];
  if (process.env.npm_execpath) {
    const bundled = path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (fs.existsSync(bundled)) return [process.execPath, [bundled]];
  }
  // Run by hand: the node-gyp bundled with the npm on PATH.
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const npm = path.join(dir, 'npm');
    if (!fs.existsSync(npm)) continue;
    const bundled = path.join(path.dirname(fs.realpathSync(npm)), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (fs.existsSync(bundled)) return [process.execPath, [bundled]];
  }
  return ['node-gyp', []];
}

function main() {
  if (process.env.SEQ2SEQ_NATIVE_BLAS === '0') return say('skipped (SEQ2SEQ_NATIVE_BLAS=0); the engine uses the WASM kernels');
  const include = cblasInclude();
  if (!include) return say('not built: no cblas.h found (install OpenBLAS: apt-get install libopenblas-dev, or brew install openblas); the engine uses the WASM kernels');
  const [command, prefix] = nodeGyp();
  const args = [...prefix, 'rebuild', `--directory=${path.join(root, 'native')}`, `--cblas_include=${include}`];
  // Node's own headers where this Node has them (a distribution's node, /usr/include/node), so
  // node-gyp does not download them; npm passes its `nodedir` setting itself.
  const nodeDir = path.resolve(path.dirname(process.execPath), '..');
  if (!process.env.npm_config_nodedir && fs.existsSync(path.join(nodeDir, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${nodeDir}`);
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 180_000 });
  if (result.status === 0) return say(`built with ${include}/cblas.h (native/build/Release/seq2seq_blas.node)`);
  const boilerplate = /gyp ERR! (System|command|cwd|node -v|node-gyp -v|not ok)/;
  const lines = (result.error?.message ?? `${result.stderr}${result.stdout}`).split('\n').filter(line => /error|ERR!/i.test(line) && !boilerplate.test(line));
  const why = lines.slice(0, 6).join('\n  ') || `node-gyp exited with ${result.status}`;
  say(`not built (node-gyp failed); the engine uses the WASM kernels:\n  ${why}`);
}

main();

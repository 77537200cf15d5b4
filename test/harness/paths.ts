/** Where the harness finds and puts things. Everything generated lives under .vscode-test/ or out/. */
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
// An empty HARNESS_CACHE means the default, as in scripts/harness/install.sh (${HARNESS_CACHE:-…}).
export const CACHE = path.resolve(process.env.HARNESS_CACHE || path.join(ROOT, '.vscode-test'));
export const NODE = path.join(CACHE, 'node24', 'bin', 'node');
export const CODE_SERVER_ENTRY = path.join(CACHE, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.HARNESS_CHROMIUM ?? '/usr/bin/chromium';

/** Build outputs. */
export const BUILD = path.join(CACHE, 'build');
export const EXTENSION_VSIX = path.join(BUILD, 'seq2seq-lab.vsix');
export const RUNNER_VSIX = path.join(BUILD, 'seq2seq-lab-test-runner.vsix');
export const RUNNER_STAGING = path.join(BUILD, 'runner');
export const RUNNER_SOURCE = path.join(ROOT, 'test', 'harness', 'runner-extension');
export const OUT_INTEGRATION = path.join(ROOT, 'out', 'integration');
export const OUT_ELECTRON = path.join(ROOT, 'out', 'electron');

export const SCREENSHOTS = path.join(ROOT, 'test', 'e2e', 'screenshots');
/** Files copied into every fresh test workspace. */
export const WORKSPACE_TEMPLATE = path.join(ROOT, 'test', 'harness', 'workspace');

/** The extension under test and the runner, as `${publisher}.${name}`. */
export const EXTENSION_ID = 'seq2seq-lab.seq2seq-lab';
export const RUNNER_ID = 'seq2seq-lab.seq2seq-lab-test-runner';
/** Env var through which the runner extension learns where to write its results. */
export const RESULTS_ENV = 'SEQ2SEQ_HARNESS_RESULTS';
export const GREP_ENV = 'SEQ2SEQ_HARNESS_GREP';

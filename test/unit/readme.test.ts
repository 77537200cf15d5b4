/** The README documents every setting, and its Quick start is exactly the two commands CI relies on. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FIELDS } from '../../src/shared/config';

const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('documents every configuration key', () => {
    for (const field of CONFIG_FIELDS) assert.ok(readme.includes(`| \`${field.key}\` |`), `README lacks ${field.key}`);
  });
  it('quick start holds the run command and the test command that .ci/run calls', () => {
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 5));
    const commands = [...quickStart.matchAll(/```sh\n([^\n]+)\n```/g)].map(m => m[1]);
    assert.deepEqual(commands, ['npm install && npm start', 'npm install && npm test']);
    const ci = fs.readFileSync(path.join(__dirname, '..', '..', '.ci', 'run'), 'utf8');
    assert.ok(ci.includes(commands[1]), '.ci/run must run the README test command');
  });
});

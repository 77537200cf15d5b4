#!/usr/bin/env node
'use strict';
// The engine's command line; the code is bundled into dist/cli.js by `npm run build`.
const { main } = require('../dist/cli.js');
main(process.argv.slice(2)).then(code => {
  process.exitCode = code;
});

#!/usr/bin/env node
// @ts-check
'use strict';
// The CLI is TypeScript bundled by `npm run build` (run by `npm install` through `prepare`).
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'dist', 'cli', 'index.js');
if (!fs.existsSync(cli)) {
  console.error('vod-events: dist/cli/index.js is missing; run `npm run build` first.');
  process.exit(1);
}
require(cli);

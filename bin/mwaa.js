#!/usr/bin/env node
// Launcher for `npx mwaa …` and `npm run mwaa -- …`: registers tsx's CommonJS loader so the
// TypeScript in scripts/mwaa runs without a build step (tsx is a devDependency of this project).
'use strict';
const { register } = require('tsx/cjs/api');

register();
require('../scripts/mwaa/cli.ts').runFromProcess();

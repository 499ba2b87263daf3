#!/usr/bin/env node
// Launcher for `npx mwaa …` and `npm run mwaa -- …`: registers tsx's CommonJS loader so the
// TypeScript in mwaa-cli runs without a build step (tsx is a devDependency of this project).
'use strict';
const { register } = require('tsx/cjs/api');

// The SDK's "node >= 22 from 2027" notice would precede every command's output; the project pins
// its SDK versions, so it is noise here. Set the variable to false to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
require('../cli.ts').runFromProcess();

#!/usr/bin/env node
// The command line runs the TypeScript sources directly (through tsx), so the course has no
// build step and a learner reads exactly the code that runs.
require("tsx/cjs");
require("../src/cli/main.ts")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });

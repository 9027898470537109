#!/usr/bin/env node
// The command line runs the TypeScript sources directly (through tsx), so a learner reads
// exactly the code that runs; notebooks import the built package (npm run build).
require("tsx/cjs");
require("../src/cli/main.ts")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });

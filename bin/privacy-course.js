#!/usr/bin/env node
// The command line runs the TypeScript sources directly (through tsx), so a learner reads
// exactly the code that runs; notebooks import the built package (npm run build).
require("tsx/cjs");
const cli = require("../src/cli/main.ts");
const argv = process.argv.slice(2);
// An error thrown outside the command's promise (a worker thread, a stray callback) still ends
// in one line, not a stack trace (unless --debug).
const fail = (error) => {
  const { code, message } = cli.describeFailure(argv.find((a) => a !== "--debug") ?? "", error, argv.includes("--debug"));
  console.error(message);
  process.exit(code);
};
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
cli.main(argv).then((code) => {
  process.exitCode = code;
});

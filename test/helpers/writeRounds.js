// A long command that keeps replacing one file, for the kill test: run through the CLI's own
// main (its signal handling), with a stand-in command that writes SIZE bytes of one letter per
// round through writeFileSafely, yielding to the event loop between rounds.
require("tsx/cjs");
const { main } = require("../../src/cli/main.ts");
const { writeFileSafely } = require("../../src/runtime/safeWrite.ts");
const [dest, size] = process.argv.slice(2);
const command = {
  datasetsCommand: async () => {
    for (let round = 0; round < 500; round++) {
      writeFileSafely(dest, Buffer.alloc(Number(size), 97 + (round % 26)), { flag: "--out", force: true });
      await new Promise((resolve) => setImmediate(resolve));
    }
    return "done";
  },
};
main(["datasets"], () => command).then((code) => {
  process.exitCode = code;
});

/** A terminal progress bar for training, drawn on stderr so JSON on stdout stays clean. */
import { SingleBar, Presets } from "cli-progress";

export interface Progress {
  update(done: number, detail: string): void;
  stop(): void;
}

export function progressBar(total: number, title: string): Progress {
  if (!process.stderr.isTTY) {
    // A log (CI, a notebook) gets one line per update instead of redraws.
    return {
      update: (done, detail) => process.stderr.write(`${title} ${done}/${total} ${detail}\n`),
      stop: () => undefined,
    };
  }
  const bar = new SingleBar(
    { format: `${title} [{bar}] {value}/{total} {detail}`, stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(total, 0, { detail: "" });
  return {
    update: (done, detail) => bar.update(done, { detail }),
    stop: () => bar.stop(),
  };
}

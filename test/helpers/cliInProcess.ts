/**
 * Runs the `privacy-course` command line inside the test process: the same `main` the binary
 * runs, with the command modules imported here (vitest's module graph) instead of required
 * through tsx, and console output captured. Spawning the binary costs a second or more per
 * run; tests spawn it only where the process itself matters (exit codes of the binary, signals).
 */
import { vi } from "vitest";
import * as accounting from "../../src/cli/commands/accounting";
import * as anonymity from "../../src/cli/commands/anonymity";
import * as audit from "../../src/cli/commands/audit";
import * as course from "../../src/cli/commands/course";
import * as datasets from "../../src/cli/commands/datasets";
import * as federated from "../../src/cli/commands/federated";
import * as grade from "../../src/cli/commands/grade";
import * as kernel from "../../src/cli/commands/kernel";
import * as notebooks from "../../src/cli/commands/notebooks";
import * as pipeline from "../../src/cli/commands/pipeline";
import * as sweep from "../../src/cli/commands/sweep";
import { main, type CommandModule, type LoadCommand } from "../../src/cli/main";

const modules: Record<string, CommandModule> = { accounting, anonymity, audit, course, datasets, federated, grade, kernel, notebooks, pipeline, sweep };

export const loadInProcess: LoadCommand = (name) => {
  const module = modules[name];
  if (!module) throw new Error(`no command module ${name}`);
  return module;
};

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cliInProcess(args: string[], load: LoadCommand = loadInProcess): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...parts: unknown[]) => void stdout.push(parts.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => void stderr.push(parts.join(" ")));
  try {
    const code = await main(args, load);
    return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

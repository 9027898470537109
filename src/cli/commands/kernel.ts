/**
 * `privacy-course kernel install [--prefix DIR | --user | --sys-prefix]` writes the Jupyter
 * kernelspec; `privacy-course kernel --connection-file F` is what Jupyter runs. Importing this
 * file is cheap: zeromq, TypeScript and tslab load only once a kernel starts.
 */
import { installKernelSpec, type Target } from "../../kernel/install";
import { startKernel } from "../../kernel/start";
import { InputError } from "../../validation/errors";
import { statSync } from "node:fs";
import * as path from "node:path";
import { parseFlags } from "../options";

/** --prefix is a folder: existing, or to be created under folders (never through a file). */
function requirePrefixFolder(prefix: string): void {
  if (prefix.trim() === "") throw new InputError("--prefix", "a folder path", prefix);
  for (let dir = path.resolve(prefix); ; dir = path.dirname(dir)) {
    try {
      if (!statSync(dir).isDirectory()) throw new InputError("--prefix", "a folder, or a new one inside folders (not inside a file)", prefix);
      return;
    } catch (error) {
      if (error instanceof InputError) throw error;
      if (path.dirname(dir) === dir) return;
    }
  }
}

export async function kernelCommand(args: string[]): Promise<string> {
  if (args[0] === "install") return install(args.slice(1));
  const { values } = parseFlags("kernel", args, { "connection-file": { type: "string", short: "f" } });
  const file = values["connection-file"];
  if (!file) throw new InputError("--connection-file", "the connection file Jupyter passes as {connection_file}", file);
  await startKernel(file); // never returns: shutdown_request exits the process
  return "";
}

function install(args: string[]): string {
  const { values } = parseFlags("kernel install", args, {
    prefix: { type: "string" },
    user: { type: "boolean", default: false },
    "sys-prefix": { type: "boolean", default: false },
    python: { type: "string" },
  });
  const chosen = [values.prefix !== undefined, values.user, values["sys-prefix"]].filter(Boolean).length;
  if (chosen > 1) throw new InputError("kernel install", "at most one of --prefix DIR, --user, --sys-prefix", args.join(" "));
  if (values.prefix !== undefined) requirePrefixFolder(values.prefix);
  const target: Target =
    values.prefix !== undefined
      ? { prefix: values.prefix }
      : values.user
        ? { user: true as const }
        : values["sys-prefix"]
          ? { sysPrefix: true as const, python: values.python }
          : { projectLocal: true as const };
  const { kernelDir, dataDir } = installKernelSpec(target);
  const lines = [`Installed the "privacy-course" kernel, TypeScript (privacy course), in ${kernelDir}`];
  if ("prefix" in target || "projectLocal" in target) {
    lines.push(`Jupyter finds it with:  export JUPYTER_PATH=${dataDir}${process.env.JUPYTER_PATH ? ":$JUPYTER_PATH" : ""}`);
  }
  return lines.join("\n");
}

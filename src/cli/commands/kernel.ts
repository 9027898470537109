/**
 * `privacy-course kernel install [--prefix DIR | --user | --sys-prefix]` writes the Jupyter
 * kernelspec; `privacy-course kernel --connection-file F` is what Jupyter runs. Importing this
 * file is cheap: zeromq, TypeScript and tslab load only once a kernel starts.
 */
import { parseArgs } from "node:util";
import { installKernelSpec, type Target } from "../../kernel/install";
import { startKernel } from "../../kernel/start";
import { InputError } from "../../validation/errors";

export async function kernelCommand(args: string[]): Promise<string> {
  if (args[0] === "install") return install(args.slice(1));
  const { values } = parseArgs({ args, options: { "connection-file": { type: "string", short: "f" } } });
  const file = values["connection-file"];
  if (!file) throw new InputError("--connection-file", "the connection file Jupyter passes as {connection_file}", file);
  await startKernel(file); // never returns: shutdown_request exits the process
  return "";
}

function install(args: string[]): string {
  const { values } = parseArgs({
    args,
    options: {
      prefix: { type: "string" },
      user: { type: "boolean", default: false },
      "sys-prefix": { type: "boolean", default: false },
      python: { type: "string" },
    },
  });
  const chosen = [values.prefix !== undefined, values.user, values["sys-prefix"]].filter(Boolean).length;
  if (chosen > 1) throw new InputError("kernel install", "at most one of --prefix DIR, --user, --sys-prefix", args.join(" "));
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

/** `privacy-course course open`: what `npm start` runs once dependencies are installed. */
import { serverUrl, setUpCourse, startNotebookServer } from "../../course/server";
import { InputError, requireOneOf } from "../../validation/errors";
import { numberFlag, parseFlags } from "../options";

export async function courseCommand(args: string[]): Promise<string> {
  const { values, positionals } = parseFlags("course", args, { port: { type: "string" }, browser: { type: "boolean", default: false } }, "ACTION");
  if (positionals.length > 1) throw new InputError("course ACTION", "one of open, setup", positionals.join(" "));
  const action = requireOneOf("course ACTION", positionals[0] ?? "open", ["open", "setup"] as const);
  const port = numberFlag("port", values.port, 8888, { min: 1, max: 65535, integer: true });
  if (action === "setup") {
    setUpCourse();
    return "The course kernel is registered in .jupyter/ and the notebooks are trusted.";
  }
  setUpCourse();
  const server = startNotebookServer({ port, browser: values.browser });
  server.stderr?.pipe(process.stderr);
  const url = await serverUrl(server, 120_000);
  console.log(`\nThe course is open at\n\n    ${url}\n\nStart with 00-welcome.ipynb. Stop with Ctrl+C.\n`);
  const stop = () => server.kill("SIGINT");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return new Promise((resolve) => server.on("exit", () => resolve("Jupyter stopped.")));
}

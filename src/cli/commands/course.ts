/**
 * `privacy-course course open`: what `npm start` runs once dependencies are installed.
 * `privacy-course course reset LESSON` (`npm run reset-lesson -- 04`): the shipped version of one
 * lesson back in the workspace, the learner's copy kept aside.
 */
import { serverUrl, setUpCourse, startNotebookServer } from "../../course/server";
import { resetLesson, WORKSPACE_DIR } from "../../course/workspace";
import { InputError, requireOneOf } from "../../validation/errors";
import { numberFlag, parseFlags } from "../options";

export async function courseCommand(args: string[]): Promise<string> {
  const { values, positionals } = parseFlags("course", args, { port: { type: "string" }, browser: { type: "boolean", default: false } }, "ACTION");
  const action = requireOneOf("course ACTION", positionals[0] ?? "open", ["open", "setup", "reset"] as const);
  if (positionals.length > (action === "reset" ? 2 : 1)) throw new InputError("course ACTION", "open, setup or reset LESSON", positionals.join(" "));
  const port = numberFlag("port", values.port, 8888, { min: 1, max: 65535, integer: true });
  if (action === "setup") {
    setUpCourse();
    return "The course kernel is registered in .jupyter/ and the notebooks are trusted.";
  }
  if (action === "reset") {
    const { restored, keptAs } = resetLesson(positionals[1] ?? "");
    return `${restored} is the shipped version again.${keptAs ? ` Your copy is kept as ${keptAs}.` : ""}`;
  }
  setUpCourse();
  const server = startNotebookServer({ port, browser: values.browser });
  server.stderr?.pipe(process.stderr);
  const url = await serverUrl(server, 120_000);
  console.log(
    `\nThe course is open at\n\n    ${url}\n\nStart with 00-welcome.ipynb. Your copies of the notebooks are in ${WORKSPACE_DIR}` +
      ` (npm run reset-lesson -- 04 puts lesson 04 back as shipped). Stop with Ctrl+C.\n`,
  );
  const stop = () => server.kill("SIGINT");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return new Promise((resolve) => server.on("exit", () => resolve("Jupyter stopped.")));
}

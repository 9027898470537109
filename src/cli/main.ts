/** The `privacy-course` command line: one sub-command per file in commands/. */
import { removeTemporaryFiles } from "../runtime/safeWrite";
import { InputError } from "../validation/errors";
import { parseArgsError } from "./options";

/** A command's module: its exported functions, each taking the arguments after the command's name. */
export type CommandModule = Record<string, unknown>;
/** How a command's module is loaded: `require` here; a test passes modules it imported itself. */
export type LoadCommand = (module: string) => CommandModule;
const requireCommand: LoadCommand = (module) => require(`./commands/${module}`);

// Each command's module loads only when it runs: the kernel starts without tfjs, and one
// command that fails to load cannot break the others.
const commands: Record<string, { module: string; run: string; help: string }> = {
  pipeline: {
    module: "pipeline", run: "pipelineCommand",
    help: "pipeline [--epsilon 1 --delta 1e-5 --epochs 5 --model logistic|mlp --seed 7 --batch-size N --clip-norm C --learning-rate LR --backend wasm|cpu --accountant rdp|pld --json out.json --force]",
  },
  epsilon: {
    module: "accounting", run: "epsilonCommand",
    help: "epsilon --sample-rate 0.04 --noise 1.1 --steps 250 --delta 1e-5 [--accountant rdp|pld --discretisation H --json]",
  },
  noise: {
    module: "accounting", run: "noiseCommand",
    help: "noise --epsilon 1 --sample-rate 0.04 --steps 250 --delta 1e-5 [--accountant rdp|pld --discretisation H --json]",
  },
  sweep: {
    module: "sweep", run: "sweepCommand",
    help: "sweep --epsilons 0.25,0.5,1,2,4,8,inf --repeats 5 [--train-sizes 100,800 --model logistic --epochs 5 --accountant rdp|pld --workers 2 --out sweep --force]",
  },
  course: {
    module: "course", run: "courseCommand",
    help: "course [open [--port 8888 --browser] | setup]   (register the kernel, trust the notebooks, start Jupyter)",
  },
  notebooks: {
    module: "notebooks", run: "notebooksCommand",
    help: "notebooks [generate | build [LESSON…]]   (lessons → notebooks; build executes them into build/)",
  },
  grade: {
    module: "grade", run: "gradeCommand",
    help: "grade NOTEBOOK.ipynb|FOLDER … [--lesson 02-anonymisation --out grades --overwrite --timeout 60 --memory 4096 --jobs 1 --unsandboxed]   (each submission in a sandbox, --jobs at once; answers checked apart, hidden tests included)",
  },
  release: {
    module: "release", run: "releaseCommand",
    help: "release --out DIR   (the student version of the course: quizzes without hidden cases and solutions)",
  },
  datasets: { module: "datasets", run: "datasetsCommand", help: "datasets   (regenerate datasets/ bit for bit)" },
  audit: {
    module: "audit", run: "auditCommand",
    help: "audit [--epsilons 0.5,1,2,4,8,inf --dataset patients|customers|diabetes --canaries 1000 --kind gradient|input --model logistic|mlp --hidden 64 --epochs N --batch-size N --seed 7 --unsafe skip-clipping|skip-noise --json out.json --csv out.csv --force]",
  },
  anonymity: {
    module: "anonymity", run: "anonymityCommand",
    help: "anonymity FILE.csv --quasi age,zip [--sensitive disease] [--c 3 --threshold 0.2 --population POP.csv --hierarchies H.json --codes zip] [--json]",
  },
  anonymize: {
    module: "anonymity", run: "anonymizeCommand",
    help: "anonymize FILE.csv --quasi age,zip --direct name,email --sensitive disease --insensitive … --k 5 --out OUT.csv [--keep-unclassified --not-identifier COL --codes zip --l 2 --l-variant distinct|entropy|recursive --c 3 --t 0.2 --algorithm mondrian|full-domain|mdav --max-suppression 0.05 --hierarchies H.json --force --json]   (every column needs a role)",
  },
  federated: {
    module: "federated", run: "federatedCommand",
    help: "federated [--epsilon 4 --rounds 20 --users-per-round 40 --delta 1e-5 --clip-norm C --local-steps N --max-utterances 64 --models nonPrivate,exampleLevel,userLevel --seed 7 --accountant rdp|pld --discretisation H --json out.json --force]   (the voice assistant: user-level DP-FedAvg)",
  },
  kernel: {
    module: "kernel", run: "kernelCommand",
    help: "kernel install [--prefix DIR | --user | --sys-prefix]   |   kernel --connection-file F   (the Jupyter kernel)",
  },
};

export function usage(): string {
  return ["usage: privacy-course <command> [options]", "", ...Object.values(commands).map((c) => `  ${c.help}`)].join("\n");
}

/** Library field names the commands pass through, as the flags a user typed. */
const FLAG_OF_FIELD: Record<string, string> = {
  sampleRate: "--sample-rate",
  noiseMultiplier: "--noise",
  targetEpsilon: "--epsilon",
  epsilon: "--epsilon",
  epsilons: "--epsilons",
  delta: "--delta",
  steps: "--steps",
  epochs: "--epochs",
  batchSize: "--batch-size",
  clipNorm: "--clip-norm",
  learningRate: "--learning-rate",
  seed: "--seed",
  baseSeed: "--seed",
  repeats: "--repeats",
  workers: "--workers",
  canaries: "--canaries",
  confidence: "--confidence",
  hidden: "--hidden",
  maxSuppression: "--max-suppression",
  lVariant: "--l-variant",
  textColumns: "--codes",
  k: "--k",
  l: "--l",
  t: "--t",
  c: "--c",
};

/** Errors of the file system that are the user's input, not a bug. */
const EXPECTED_FS_ERRORS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "not a directory",
  EISDIR: "is a directory",
  EEXIST: "already exists",
  ELOOP: "too many symbolic links",
  ENOSPC: "no space left on device",
  EROFS: "read-only file system",
};

/** One line, whatever the message holds. */
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ").slice(0, 500);

/**
 * What the user sees when a command fails, and its exit code: bad input (an InputError, a
 * parseArgs error, an expected file-system error) is one line naming the flag and the allowed
 * range, exit 2; anything else is a bug: a short message, the stack only with --debug, exit 1.
 */
export function describeFailure(command: string, error: unknown, debug: boolean): { code: number; message: string } {
  const translated = parseArgsError(command, error);
  if (translated instanceof InputError) {
    const field = FLAG_OF_FIELD[translated.field] ?? translated.field;
    const message = field === translated.field ? translated.message : new InputError(field, translated.allowed, translated.got).message;
    return { code: 2, message: `privacy-course ${command}: ${oneLine(message)}` };
  }
  const errno = error as NodeJS.ErrnoException;
  if (errno && typeof errno.code === "string" && EXPECTED_FS_ERRORS[errno.code]) {
    const where = errno.path ?? "";
    return { code: 2, message: `privacy-course ${command}: ${where ? `${where}: ` : ""}${EXPECTED_FS_ERRORS[errno.code]} (${errno.code})` };
  }
  // A situation the user must change (e.g. grading without a usable sandbox): its message and its own exit code, no stack.
  const exitCode = (error as { exitCode?: unknown } | null)?.exitCode;
  if (error instanceof Error && typeof exitCode === "number") return { code: exitCode, message: `privacy-course ${command}: ${error.message}` };
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const lines = [
    `privacy-course ${command}: unexpected error: ${oneLine(text).slice(0, 300)}`,
    debug
      ? (error as Error)?.stack ?? ""
      : "This is a bug in privacy-course: please report it with the command you ran (run it again with --debug for the stack trace).",
  ];
  return { code: 1, message: lines.filter(Boolean).join("\n") };
}

/** Commands that manage signals themselves (Jupyter, the kernel): the CLI's handler stays out of their way. */
const OWN_SIGNALS = new Set(["course", "kernel"]);

function exitOnSignal(signal: NodeJS.Signals): void {
  removeTemporaryFiles();
  process.exit(signal === "SIGINT" ? 130 : 143);
}

export async function main(argv: string[], load: LoadCommand = requireCommand): Promise<number> {
  const debug = argv.includes("--debug");
  const [name, ...args] = argv.filter((arg) => arg !== "--debug");
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    console.error(`privacy-course: unknown command "${oneLine(name)}"; the commands are ${Object.keys(commands).join(", ")} (privacy-course --help)`);
    return 2;
  }
  if (!OWN_SIGNALS.has(name)) {
    process.once("SIGINT", exitOnSignal);
    process.once("SIGTERM", exitOnSignal);
  }
  try {
    const run = load(command.module)[command.run] as (args: string[]) => string | Promise<string>;
    const output = await run(args);
    if (output !== "") console.log(output);
    return 0;
  } catch (error) {
    const { code, message } = describeFailure(name, error, debug);
    console.error(message);
    return code;
  } finally {
    process.removeListener("SIGINT", exitOnSignal);
    process.removeListener("SIGTERM", exitOnSignal);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

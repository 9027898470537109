/** The `privacy-course` command line: one sub-command per file in commands/. */
import { InputError } from "../validation/errors";

// Each command's module loads only when it runs: the kernel starts without tfjs, and one
// command that fails to load cannot break the others.
const commands: Record<string, { run: (args: string[]) => string | Promise<string>; help: string }> = {
  pipeline: {
    run: (args) => require("./commands/pipeline").pipelineCommand(args),
    help: "pipeline [--epsilon 1 --delta 1e-5 --epochs 5 --model logistic|mlp --seed 7 --batch-size N --clip-norm C --learning-rate LR --backend wasm|cpu --json out.json]",
  },
  epsilon: {
    run: (args) => require("./commands/accounting").epsilonCommand(args),
    help: "epsilon --sample-rate 0.04 --noise 1.1 --steps 250 --delta 1e-5 [--json]",
  },
  noise: {
    run: (args) => require("./commands/accounting").noiseCommand(args),
    help: "noise --epsilon 1 --sample-rate 0.04 --steps 250 --delta 1e-5 [--json]",
  },
  sweep: {
    run: (args) => require("./commands/sweep").sweepCommand(args),
    help: "sweep --epsilons 0.25,0.5,1,2,4,8,inf --repeats 5 [--model logistic --epochs 5 --workers 2 --out sweep]",
  },
  course: {
    run: (args) => require("./commands/course").courseCommand(args),
    help: "course [open [--port 8888 --browser] | setup]   (register the kernel, trust the notebooks, start Jupyter)",
  },
  notebooks: {
    run: (args) => require("./commands/notebooks").notebooksCommand(args),
    help: "notebooks [generate | build [LESSON…]]   (lessons → notebooks; build executes them into build/)",
  },
  grade: {
    run: (args) => require("./commands/grade").gradeCommand(args),
    help: "grade NOTEBOOK.ipynb|FOLDER … [--lesson 02-anonymisation --out grades --overwrite --timeout 60 --memory 4096 --unsandboxed]   (each submission in a sandbox; answers checked apart, hidden tests included)",
  },
  release: {
    run: (args) => require("./commands/release").releaseCommand(args),
    help: "release --out DIR   (the student version of the course: quizzes without hidden cases and solutions)",
  },
  datasets: { run: (args) => require("./commands/datasets").datasetsCommand(args), help: "datasets   (regenerate datasets/ bit for bit)" },
  audit: {
    run: (args) => require("./commands/audit").auditCommand(args),
    help: "audit [--epsilons 0.5,1,2,4,8,inf --dataset patients|customers|diabetes --canaries 1000 --kind gradient|input --model logistic|mlp --hidden 64 --epochs N --batch-size N --seed 7 --unsafe skip-clipping|skip-noise --json out.json --csv out.csv]",
  },
  anonymity: {
    run: (args) => require("./commands/anonymity").anonymityCommand(args),
    help: "anonymity FILE.csv --quasi age,zip [--sensitive disease] [--c 3 --threshold 0.2 --population POP.csv --hierarchies H.json] [--json]",
  },
  anonymize: {
    run: (args) => require("./commands/anonymity").anonymizeCommand(args),
    help: "anonymize FILE.csv --quasi age,zip --k 5 --out OUT.csv [--sensitive disease --l 2 --l-variant distinct|entropy|recursive --c 3 --t 0.2 --direct name --algorithm mondrian|full-domain|mdav --max-suppression 0.05 --hierarchies H.json --json]",
  },
  kernel: {
    run: (args) => require("./commands/kernel").kernelCommand(args),
    help: "kernel install [--prefix DIR | --user | --sys-prefix]   |   kernel --connection-file F   (the Jupyter kernel)",
  },
};

export function usage(): string {
  return ["usage: privacy-course <command> [options]", "", ...Object.values(commands).map((c) => `  ${c.help}`)].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    console.log(await command.run(args));
    return 0;
  } catch (error) {
    if (error instanceof InputError || (error instanceof TypeError && "code" in error)) {
      // Bad input (including an unknown flag from parseArgs): a clear message, no stack.
      console.error(`privacy-course ${name}: ${(error as Error).message}`);
      return 2;
    }
    // A situation the user must change (e.g. grading without a usable sandbox): its message, no stack.
    const exitCode = (error as { exitCode?: unknown } | null)?.exitCode;
    if (error instanceof Error && typeof exitCode === "number") {
      console.error(`privacy-course ${name}: ${error.message}`);
      return exitCode;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

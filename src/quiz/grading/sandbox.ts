/**
 * One bubblewrap sandbox per submission (Debian's `bubblewrap`): the system and the repository
 * read-only, the grader's private quizzes replaced by their student release, a private writable
 * scratch directory, no network, a PID namespace of its own (everything started inside dies with
 * it), an unprivileged user, and limits on memory, processes and file size (prlimit inside).
 * Wall time is limited by the caller, who kills the sandbox; --die-with-parent takes it down
 * with the grader.
 */
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, realpathSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../validation/errors";

/** Debian's bubblewrap; PRIVACY_COURSE_BWRAP names another (the tests use it to see grading refuse without one). */
export const BWRAP = process.env.PRIVACY_COURSE_BWRAP ?? "/usr/bin/bwrap";
export const PRLIMIT = "/usr/bin/prlimit";
export const SETPRIV = "/usr/bin/setpriv";
/** Where the scratch directory appears inside the sandbox. */
export const SANDBOX_SCRATCH = "/scratch";
/** The unprivileged user the sandbox runs as (nobody). */
export const SANDBOX_UID = 65534;

export interface SandboxLimits {
  /** Writable memory of each process (RLIMIT_DATA): V8's reservations are not counted, what it uses is. */
  memoryMB: number;
  /** Processes (and threads) in the sandbox (RLIMIT_NPROC; counted per user namespace). */
  processes: number;
  /** Largest file a process may write (RLIMIT_FSIZE). */
  fileMB: number;
  /** Size of the private /tmp (a tmpfs, so it counts as memory). */
  tmpMB: number;
}

export const DEFAULT_LIMITS: SandboxLimits = { memoryMB: 4096, processes: 512, fileMB: 256, tmpMB: 512 };

export interface SandboxSpec {
  repoRoot: string;
  /** A host directory, writable by the sandbox's user, seen inside as SANDBOX_SCRATCH. */
  scratch: string;
  /** Read-only directories or files put over paths of the repository (the student release of quizzes/). */
  overlays: { source: string; target: string }[];
  /** Paths under the repository the submission must not see (.git, tests, grades, other submissions). */
  hidden: string[];
  /** The working directory inside (a path under the repository). */
  cwd: string;
  /** The whole environment inside: nothing of the grader's leaks in. */
  env: Record<string, string>;
  limits: SandboxLimits;
}

const isRoot = (): boolean => typeof process.getuid === "function" && process.getuid() === 0;

/** Directories a process outside /usr needs: node's own install prefix (nvm, /opt), and what repository symlinks point to. */
function extraReadOnly(repoRoot: string): string[] {
  const dirs = new Set<string>();
  const nodePrefix = path.dirname(path.dirname(realpathSync(process.execPath)));
  if (!nodePrefix.startsWith("/usr")) dirs.add(nodePrefix);
  for (const entry of readdirSync(repoRoot)) {
    const full = path.join(repoRoot, entry);
    if (!lstatSync(full).isSymbolicLink() || !existsSync(full)) continue;
    const target = realpathSync(full);
    if (path.relative(repoRoot, target).startsWith("..")) dirs.add(target);
  }
  return [...dirs];
}

/** The argv that runs `command` in the sandbox described by `spec`. */
export function sandboxArgv(spec: SandboxSpec, command: string[]): string[] {
  const { limits } = spec;
  for (const [field, value] of Object.entries(limits)) {
    if (!(Number.isInteger(value) && value > 0)) throw new InputError(`limits.${field}`, "a positive integer", value);
  }
  // Root drops to nobody before bubblewrap: root's processes are exempt from RLIMIT_NPROC, and
  // the sandbox's files must not be root's. Anyone else already is an unprivileged user.
  const drop = isRoot() ? [SETPRIV, `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, "--clear-groups", "--"] : [];
  const args = [
    BWRAP,
    "--unshare-user", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
    "--uid", String(SANDBOX_UID), "--gid", String(SANDBOX_UID),
    "--die-with-parent", "--new-session", "--disable-userns",
    "--ro-bind", "/usr", "/usr",
  ];
  for (const link of ["bin", "lib", "lib64", "sbin"]) {
    const host = `/${link}`;
    if (!existsSync(host)) continue;
    if (lstatSync(host).isSymbolicLink()) args.push("--symlink", `usr/${link}`, host);
    else args.push("--ro-bind", host, host);
  }
  args.push("--ro-bind", "/etc", "/etc", "--proc", "/proc", "--dev", "/dev");
  // The private /tmp first: a repository (or a node_modules) that lives under /tmp is then bound on top of it, not hidden by it.
  args.push("--size", String(limits.tmpMB * 1024 * 1024), "--tmpfs", "/tmp");
  args.push("--ro-bind", spec.repoRoot, spec.repoRoot);
  for (const dir of extraReadOnly(spec.repoRoot)) args.push("--ro-bind", dir, dir);
  for (const overlay of spec.overlays) args.push("--ro-bind", overlay.source, overlay.target);
  for (const hidden of spec.hidden) {
    if (!existsSync(hidden)) continue;
    if (lstatSync(hidden).isDirectory()) args.push("--tmpfs", hidden, "--remount-ro", hidden);
    else args.push("--ro-bind", "/dev/null", hidden);
  }
  args.push("--bind", spec.scratch, SANDBOX_SCRATCH);
  args.push("--clearenv");
  for (const [name, value] of Object.entries(spec.env)) args.push("--setenv", name, value);
  args.push("--chdir", spec.cwd, "--");
  const mb = 1024 * 1024;
  const prlimit = [PRLIMIT, `--data=${limits.memoryMB * mb}`, `--nproc=${limits.processes}`, `--fsize=${limits.fileMB * mb}`, "--core=0", "--"];
  return [...drop, ...args, ...prlimit, ...command];
}

/**
 * Why a sandbox cannot run here (no bubblewrap, no user namespaces, or the kernel's runtime does
 * not start inside one), or null when it can: a node and the system python with nbclient are
 * started in a sandbox like the grader's.
 */
export function sandboxProblem(repoRoot: string, scratch: string): string | null {
  for (const tool of [BWRAP, PRLIMIT, ...(isRoot() ? [SETPRIV] : [])]) {
    if (!existsSync(tool)) return `${tool} is missing (Debian: apt-get install bubblewrap util-linux; sh scripts/setup-jupyter.sh installs it)`;
  }
  const spec: SandboxSpec = { repoRoot, scratch, overlays: [], hidden: [], cwd: repoRoot, env: { PATH: "/usr/bin:/bin", HOME: "/tmp" }, limits: DEFAULT_LIMITS };
  const probes: [string, string[]][] = [
    ["node", [process.execPath, "-e", "process.stdout.write(String(process.getuid()))"]],
    ["python with nbclient", ["/usr/bin/python3", "-c", "import nbclient, nbformat, zmq, os; print(os.getuid(), end='')"]],
  ];
  for (const [what, command] of probes) {
    const probe = spawnSync(sandboxArgv(spec, command)[0], sandboxArgv(spec, command).slice(1), { encoding: "utf8", timeout: 60_000 });
    if (probe.status !== 0 || probe.stdout !== String(SANDBOX_UID)) {
      const why = probe.error?.message ?? (probe.stderr.trim() || `exit ${probe.status ?? probe.signal}`);
      return `bubblewrap could not start ${what} in a sandbox (${why.split("\n").slice(-3).join(" ")})`;
    }
  }
  return null;
}

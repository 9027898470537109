#!/usr/bin/python3
"""Execute one notebook with a Jupyter kernel, cell by cell, and never stop early.

Used by the course build (`npm run notebooks`), the tests and the grader (`npm run grade`):
- a cell that raises keeps its error output and the run goes on (allow_errors);
- a cell that runs longer than --timeout is stopped and gets a CellTimeoutError output (and
  the iopub reader nbclient leaves running for it is cancelled, so it cannot swallow the next
  cell's outputs). It is interrupted first (SIGINT: the course kernel stops synchronous code
  with it and keeps its state). A kernel that does not answer the interrupt within a few seconds (e.g. stuck in a
  timer callback) is killed with its process group and every process below it; a fresh kernel
  on new ports replays the cells that had succeeded, to restore their state;
- the whole run stops after --deadline seconds: cells not reached get a NotRun error output;
- every kernel started is killed at the end, whatever happened (also on SIGTERM, SIGINT and
  SIGHUP). Kernels get no stdout, and --pids lists them ("pid pgid" lines) so that a caller who
  had to kill this script can kill them too;
- optionally the executed notebook is exported to self-contained HTML (no CDN scripts).

Writes a JSON summary to --summary, or to stdout: {"errors": [{cell, ename, evalue, outcome}],
"failedReplays": [{before, problems: [{cell, outcome, ename, evalue}]}]} (restarts whose replay,
tried twice, still left cells unrestored). An error's outcome is "error" (it raised), "stopped"
(timed out, interrupted), "killed" (timed out, did not answer the interrupt), "died" or "not-run".
Runs on Debian's /usr/bin/python3 (nbclient, nbconvert).
"""
import argparse
import asyncio
import json
import math
import os
import re
import signal
import subprocess
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

STARTUP_TIMEOUT = 120
# How long an interrupted cell has to stop before its kernel is killed.
INTERRUPT_GRACE = 10
# A fresh kernel compiles everything again: a replayed cell gets more time than a cell does.
REPLAY_TIMEOUT = 120
# Fresh kernels tried when replaying the succeeded cells does not restore them all.
REPLAY_ATTEMPTS = 2

# Kernels started and not yet killed: pid -> process group.
LIVE = {}


def cell_timeout(cell, default):
    """The cell's own time limit when its metadata sets one (the grader gives cells that are not
    answers more time than answers), else the run's."""
    own = cell.get("metadata", {}).get("privacy_course_timeout")
    return float(own) if isinstance(own, (int, float)) and own > 0 else default


def error_output(ename, evalue):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def descendants(pid):
    """Every process below pid (from /proc; none where there is no /proc)."""
    children = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(pid):
    """SIGKILL a kernel, its process group and anything it started in groups of their own."""
    if pid not in LIVE:
        return  # killed already (and maybe reaped: the pid may be someone else's now)
    pgid = LIVE.pop(pid)
    below = descendants(pid)
    if pgid is not None and pgid != os.getpgid(0):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass
    for target in [pid, *below]:
        try:
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass


def kill_all_and_exit(signum, _frame):
    for pid in list(LIVE):
        kill_tree(pid)
    os._exit(128 + signum)


# nbclient's per-cell iopub reader; looked up here so that a renamed method fails loudly at import.
STALE_POLLER = NotebookClient._async_poll_output_msg.__name__


async def cancel_stale_output_pollers():
    """Cancels the iopub reader nbclient leaves running when a cell times out.

    nbclient does not cancel a timed-out cell's output task (CellTimeoutError is a
    CellControlSignal), so it goes on reading the iopub channel next to the next cell's reader and
    discards every message that is not its own: the next cell could lose its outputs, a grading
    cell its grade, without any error. Cells run one at a time here, so any such task is stale.
    """
    current = asyncio.current_task()
    stale = [
        task
        for task in asyncio.all_tasks()
        if task is not current and not task.done() and getattr(task.get_coro(), "__name__", "") == STALE_POLLER
    ]
    for task in stale:
        task.cancel()
    await asyncio.gather(*stale, return_exceptions=True)


class Kernel:
    """One kernel on ports of its own, with nbclient's client driving it."""

    def __init__(self, notebook, args):
        self.client = NotebookClient(
            notebook,
            kernel_name=args.kernel,
            allow_errors=True,
            interrupt_on_timeout=False,
            startup_timeout=STARTUP_TIMEOUT,
            resources={"metadata": {"path": args.cwd}},
        )
        self.pid = None

    async def start(self, pids_file):
        client = self.client
        client.km = client.create_kernel_manager()
        # No stdout for the kernel: it must not hold the caller's pipes open.
        await client.async_start_new_kernel(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        self.pid = client.km.provisioner.process.pid
        try:
            LIVE[self.pid] = os.getpgid(self.pid)
        except OSError:
            LIVE[self.pid] = None
        if pids_file:
            with open(pids_file, "a", encoding="utf-8") as out:
                out.write(f"{self.pid} {LIVE[self.pid] or ''}\n")
        await client.async_start_new_kernel_client()
        await self.warm_up()

    async def warm_up(self):
        """Runs an empty statement, so that loading TypeScript is not charged to the first cell."""
        kc = self.client.kc
        msg_id = kc.execute("undefined", silent=True, store_history=False)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            reply = await kc.shell_channel.get_msg(timeout=max(0, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return

    async def run(self, cell, index, timeout, store_history=True):
        """"ok", "error", "stopped" (timed out, interrupted, state kept), "killed" (timed out and did
        not answer the interrupt: the kernel is useless now) or "died"."""
        self.client.timeout = max(1, math.ceil(timeout))
        try:
            await self.client.async_execute_cell(cell, index, store_history=store_history)
        except CellTimeoutError:
            await cancel_stale_output_pollers()
            return "stopped" if await self.interrupt() else "killed"
        except DeadKernelError:
            return "died"
        return "error" if any(o.output_type == "error" for o in cell.outputs) else "ok"

    async def interrupt(self):
        """Interrupts the running cell; whether the kernel answered it within INTERRUPT_GRACE."""
        client = self.client
        deadline = time.monotonic() + INTERRUPT_GRACE
        try:
            await client.km.interrupt_kernel()
            while deadline > time.monotonic():
                reply = await client.kc.shell_channel.get_msg(timeout=deadline - time.monotonic())
                if reply["msg_type"] == "execute_reply":
                    return True
        except Exception:  # no reply in time (queue.Empty), or the kernel is gone
            return False
        return False

    async def stop(self):
        """Kills the kernel with everything below it, then lets the manager reap it and clean up."""
        if self.pid is not None:
            kill_tree(self.pid)
        if self.client.km is None:
            return
        try:
            await asyncio.wait_for(self.client._async_cleanup_kernel(), 30)
        except Exception as error:  # the kernel is dead already; only its files may remain
            print(f"execute_notebook: cleaning up a kernel: {error!r}", file=sys.stderr)


async def start_kernel(notebook, args):
    kernel = Kernel(notebook, args)
    try:
        await kernel.start(args.pids)
    except BaseException:
        await kernel.stop()
        raise
    return kernel


async def replay(kernel, notebook, indices, deadline):
    """Runs copies of the cells that had succeeded on a fresh kernel, to restore their state.

    nbclient stores the cell it executes back at its index, so the original (with its outputs)
    is put back after each copy has run. Returns (usable, problems): usable is False if the
    kernel had to go (a replayed cell hung where an interrupt could not reach it, or the kernel
    died); problems lists the replayed cells that did not succeed again."""
    problems = []
    for index in indices:
        original = notebook.cells[index]
        copy = nbformat.from_dict(json.loads(json.dumps(original)))
        try:
            outcome = await kernel.run(copy, index, min(cell_timeout(original, REPLAY_TIMEOUT), deadline - time.monotonic()), store_history=False)
        finally:
            notebook.cells[index] = original
        if outcome != "ok":
            errors = [o for o in copy.outputs if o.output_type == "error"]
            problems.append({"cell": index, "outcome": outcome, "ename": errors[0].ename if errors else "", "evalue": errors[0].evalue if errors else ""})
        if outcome in ("killed", "died"):
            return False, problems
    return True, problems


async def restart(notebook, args, succeeded, deadline, before):
    """A fresh kernel with the state of the cells that had succeeded. A replay that does not
    succeed whole is tried once more on another fresh kernel (a slow or unlucky start should
    not cost a learner their answers); what still failed is returned for the summary."""
    problems = []
    for attempt in range(REPLAY_ATTEMPTS):
        kernel = await start_kernel(notebook, args)
        usable, problems = await replay(kernel, notebook, succeeded, deadline)
        if usable and not problems:
            return kernel, None
        if attempt + 1 < REPLAY_ATTEMPTS or not usable:
            await kernel.stop()
    if not usable:
        # The state cannot be restored: go on with a clean kernel.
        kernel = await start_kernel(notebook, args)
    return kernel, {"before": before, "problems": problems}


def stopped_output(outcome, seconds):
    if outcome == "died":
        return error_output("DeadKernelError", "The kernel died while running this cell; it was restarted.")
    return error_output("CellTimeoutError", f"The cell ran for more than {seconds} s and was stopped.")


async def execute(notebook, args):
    deadline = time.monotonic() + args.deadline if args.deadline else math.inf
    succeeded, problems, replays = [], [], []
    kernel = None
    try:
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                outcome = "not-run"
                cell.outputs = [error_output("NotRun", f"The notebook used up its {args.deadline:g} s before this cell.")]
            else:
                if kernel is None and not succeeded:
                    kernel = await start_kernel(notebook, args)
                elif kernel is None:
                    kernel, failed = await restart(notebook, args, succeeded, deadline, index)
                    if failed:
                        replays.append(failed)
                timeout = min(cell_timeout(cell, args.timeout), max(1, deadline - time.monotonic()))
                outcome = await kernel.run(cell, index, timeout)
                if outcome in ("stopped", "killed", "died"):
                    printed = [o for o in cell.outputs if o.output_type != "error"]
                    cell.outputs = printed + [stopped_output(outcome, math.ceil(timeout))]
                if outcome in ("killed", "died"):
                    await kernel.stop()
                    kernel = None
            errors = [o for o in cell.outputs if o.output_type == "error"]
            if errors:
                problems.append({"cell": index, "ename": errors[0].ename, "evalue": errors[0].evalue, "outcome": outcome})
            else:
                succeeded.append(index)
    finally:
        if kernel is not None:
            await kernel.stop()
    return problems, replays


def export_html(notebook, path):
    from nbconvert import HTMLExporter

    exporter = HTMLExporter()
    body, _ = exporter.from_notebook_node(notebook)
    # The template links require.js and MathJax from a CDN; the course's pages need neither
    # and must work offline, so those tags go.
    body = re.sub(r'<script[^>]+src="https?://[^"]*"[^>]*>\s*</script>', "", body)
    body = re.sub(r'<link[^>]+href="https?://[^"]*"[^>]*>', "", body)
    with open(path, "w", encoding="utf-8") as out:
        out.write(body)


def make_undumpable():
    """prctl(PR_SET_DUMPABLE, 0): /proc/<pid>/mem and ptrace are closed to processes of the same user."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(4, 0, 0, 0, 0) != 0:  # PR_SET_DUMPABLE = 4
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="the notebook, or - to read it from stdin")
    parser.add_argument("output")
    parser.add_argument("--kernel", default="privacy-course")
    parser.add_argument("--timeout", type=float, default=120, help="seconds one cell may run")
    parser.add_argument("--deadline", type=float, default=0, help="seconds the whole run may take (0: no limit)")
    parser.add_argument("--cwd", required=True, help="the directory the notebook's cells run in")
    parser.add_argument("--html")
    parser.add_argument("--summary", help="write the JSON summary here rather than to stdout")
    parser.add_argument("--pids", help="append each kernel's 'pid pgid' to this file")
    args = parser.parse_args()

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, kill_all_and_exit)
    if args.input == "-":
        # Read from a pipe, so that no file holds cells the kernel has not run yet (the grader's
        # collection cells), and made non-dumpable, so that the kernel cannot read them from this
        # process's memory either (same user inside the grading sandbox).
        notebook = nbformat.read(sys.stdin, as_version=4)
        make_undumpable()
    else:
        notebook = nbformat.read(args.input, as_version=4)
    try:
        problems, replays = asyncio.run(execute(notebook, args))
    finally:
        for pid in list(LIVE):
            kill_tree(pid)
    nbformat.write(notebook, args.output)
    if args.html:
        export_html(notebook, args.html)
    summary = json.dumps({"errors": problems, "failedReplays": replays})
    if args.summary:
        with open(args.summary, "w", encoding="utf-8") as out:
            out.write(summary + "\n")
    else:
        print(summary)


if __name__ == "__main__":
    main()

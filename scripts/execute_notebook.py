#!/usr/bin/python3
"""Execute one notebook with a Jupyter kernel, cell by cell, and never stop early.

Used by the course build (`npm run notebooks`) and the grader (`npm run grade`):
- a cell that raises keeps its error output and the run goes on (allow_errors);
- a cell that runs longer than --timeout is stopped: the kernel is restarted, the cells that
  had succeeded are replayed to restore the state, and the cell gets an error output;
- optionally the executed notebook is exported to self-contained HTML (no CDN scripts).

Prints a JSON summary on stdout. Runs on Debian's /usr/bin/python3 (nbclient, nbconvert).
"""
import argparse
import json
import re
import sys

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError


def timeout_output(seconds):
    return nbformat.v4.new_output(
        "error",
        ename="CellTimeoutError",
        evalue=f"The cell ran for more than {seconds} s and was stopped.",
        traceback=[f"CellTimeoutError: the cell ran for more than {seconds} s and was stopped."],
    )


def restart(client, notebook, succeeded):
    """Restart the kernel and replay the cells that had succeeded, to restore their state.

    nbclient stores the cell it executes back at its index, so each replay runs on a copy at
    the original's index and the original (with its outputs) is put back afterwards."""
    # nbclient drives an asyncio kernel manager and client.
    run_sync(client.km.restart_kernel)(now=True)
    run_sync(client.kc.wait_for_ready)(timeout=120)
    # A fresh kernel compiles everything again: give the replay more time than one cell gets.
    timeout, client.timeout = client.timeout, max(4 * client.timeout, 120)
    try:
        for index, cell in succeeded:
            replay = nbformat.from_dict(json.loads(json.dumps(cell)))
            client.execute_cell(replay, 0, store_history=False)
        for index, cell in succeeded:
            notebook.cells[index] = cell
    finally:
        client.timeout = timeout


def execute(notebook, kernel, timeout, cwd):
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=kernel,
        allow_errors=True,
        interrupt_on_timeout=False,
        resources={"metadata": {"path": cwd}},
    )
    succeeded, problems = [], []
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except (CellTimeoutError, DeadKernelError) as error:
                cell.outputs = [timeout_output(timeout)] if isinstance(error, CellTimeoutError) else [
                    nbformat.v4.new_output("error", ename="DeadKernelError", evalue=str(error), traceback=[str(error)])
                ]
                restart(client, notebook, succeeded)
            errors = [o for o in cell.outputs if o.output_type == "error"]
            if errors:
                problems.append({"cell": index, "ename": errors[0].ename, "evalue": errors[0].evalue})
            else:
                succeeded.append((index, cell))
    return problems


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


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--kernel", default="privacy-course")
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("--cwd", required=True, help="the directory the notebook's cells run in")
    parser.add_argument("--html")
    args = parser.parse_args()

    notebook = nbformat.read(args.input, as_version=4)
    problems = execute(notebook, args.kernel, args.timeout, args.cwd)
    nbformat.write(notebook, args.output)
    if args.html:
        export_html(notebook, args.html)
    json.dump({"errors": problems}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

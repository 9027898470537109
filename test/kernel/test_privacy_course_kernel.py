"""Jupyter's own kernel conformance suite (Debian: python3-jupyter-kernel-test) for the course kernel.

Run through test/kernel.test.ts, or by hand from this directory (from the repository root,
`python3 -m unittest test/kernel/...` would find the standard library's `test` package instead):

    npx privacy-course kernel install --prefix /tmp/pck
    cd test/kernel && JUPYTER_PATH=/tmp/pck/share/jupyter /usr/bin/python3 -m unittest -v test_privacy_course_kernel

The kernel starts in the current directory, like a notebook's; cells import the course's display
helpers relative to it, as a notebook in notebooks/ does with "../src/kernel/display".
"""

import os
import unittest

import jupyter_kernel_test

_DISPLAY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "kernel", "display")
DISPLAY = os.path.relpath(_DISPLAY).replace(os.sep, "/")
if not DISPLAY.startswith("."):
    DISPLAY = "./" + DISPLAY


class PrivacyCourseKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "privacy-course"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("oops")'

    completion_samples = [
        {"text": "Math.ma", "matches": {"max"}},
        {"text": "console.lo", "matches": {"log", "timeLog"}},
    ]

    complete_code_samples = ["1 + 1", "const x: number = 1;", "function f() {\n  return 1;\n}", "f(1)\n"]
    incomplete_code_samples = ["function f() {", "const y = [1,\n", "if (x) {\n  foo(", "`multi-line"]
    invalid_code_samples = ["1 +* 2", "f(1))", ")", "else"]

    # IPython's `x?`: the inspection goes to the pager payload.
    code_page_something = "?Math.max"

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"a" + "b"', "result": "'ab'"},
        {"code": "[1, 2, 3].map((n) => n * 2)", "result": "[ 2, 4, 6 ]"},
        {
            "code": f'import {{ html }} from "{DISPLAY}";\nhtml("<b>private</b>")',
            "mime": "text/html",
            "result": "<b>private</b>",
        },
    ]

    code_display_data = [
        {"code": f'import {{ display, html }} from "{DISPLAY}";\ndisplay(html("<i>ε = 1</i>"))', "mime": "text/html"},
        {"code": f'import {{ display }} from "{DISPLAY}";\ndisplay({{ epsilon: 1 }})', "mime": "text/plain"},
    ]

    code_history_pattern = "6 * *"
    supported_history_operations = ("tail", "range", "search")

    code_clear_output = f'import {{ clearOutput }} from "{DISPLAY}";\nclearOutput()'

    code_inspect_sample = "Math.max"


if __name__ == "__main__":
    unittest.main()

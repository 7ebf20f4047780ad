"""The `roi` console script: import the command line and run it, and a ctrl-C at any
moment of that, even while click, rich and pydantic are still loading, ends with
"Interrupted." and exit code 130, never a traceback.

It lives outside the roi.cli package on purpose: importing roi.cli.anything runs
roi/cli/__init__.py (and all it imports) first, outside any try. This module imports
only `sys` until it is inside the try; roi.cli.main keeps its own error boundary for
everything once the command line runs.
"""

from __future__ import annotations

import sys

INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for a ctrl-C


def main() -> None:
    try:
        if "status" in sys.argv[1:5]:  # a status line asks every few seconds: answer it fast
            from roi.status import fast

            code = fast(sys.argv[1:])
            if code is not None:
                sys.exit(code)
        from roi.cli import main as run

        run()
    except KeyboardInterrupt:
        try:
            _say("Interrupted.")
        except KeyboardInterrupt:  # a second ctrl-C while saying so
            pass
        sys.exit(INTERRUPTED)


def _say(message: str) -> None:
    try:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed or gone: the exit code still tells
        pass


if __name__ == "__main__":
    main()

"""Entry point: `python build.py [COMMAND] [OPTIONS]`; see `python build.py --help`."""
import os
import sys

try:
    from briefing.cli import main
except ModuleNotFoundError as exc:  # run by a Python that lacks the dependencies: say how to get them, not a traceback
    sys.exit(f"error: {exc.name!r} is not installed for {sys.executable}: run `pip install -e .` in this folder (or activate the venv that has it), then build again")

if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave without tearing down the interpreter: freeing the build state of a large collection object by object
    # takes longer than the whole of a rebuild that found nothing to do, and the system frees it at once.
    os._exit(code or 0)

"""Entry point: `python build.py [COMMAND] [OPTIONS]`; see `python build.py --help`."""
import os
import sys

from briefing.cli import main

if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave without tearing down the interpreter: freeing the build state of a large collection object by object
    # takes longer than the whole of a rebuild that found nothing to do, and the system frees it at once.
    os._exit(code or 0)

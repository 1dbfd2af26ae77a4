"""pytest for mutmut: exit 1 whenever the tests do not pass, however they end.

mutmut 2 counts a mutant as killed only when the test command exits with code 1;
a mutant that makes pytest crash, run out of memory (killed by the kernel), hit an
internal error (exit 3) or collect nothing (exit 5) would count as *survived*.
This wrapper runs pytest as a child that dies with it (mutmut's timeout kills the
wrapper) and maps every non-zero ending to 1.  The child may use at most
``BORDERMAP_MUTATION_MEMORY_GB`` (default 4) GB of address space, so that a
mutant asking for tens of gigabytes fails at once instead of crowding the machine.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import subprocess
import sys

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    limit = int(float(os.environ.get("BORDERMAP_MUTATION_MEMORY_GB", "4")) * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main() -> int:
    cmd = [sys.executable, "-m", "pytest", *sys.argv[1:]]
    rc = subprocess.call(cmd, preexec_fn=_die_with_parent)  # Linux (prctl)
    return 0 if rc == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

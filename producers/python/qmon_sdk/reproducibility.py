"""What a run was made with, captured when it starts: MLflow's source tags, the host, the Python
and library versions, a ``pip freeze``-style list of the environment and, when given, the circuit.

The tags follow MLflow's own names where MLflow has one (``mlflow.source.git.commit``,
``mlflow.source.git.branch``, ``mlflow.source.name``, ``mlflow.source.type``, ``mlflow.user``),
so the MLflow UI shows them where its users look; the rest are ``qmon.*``. Nothing here reads
environment variables beyond the opt-out switch, so no secret can end up in a run.
"""

import getpass
import importlib.metadata
import logging
import os
import platform
import socket
import subprocess
import sys
import time
from typing import Any, Dict, Mapping, Optional, Tuple

from . import validation
from .errors import InvalidEventError

#: ``QMON_CAPTURE_ENV=0`` (or ``false``/``no``/``off``) turns the capture off for every run.
CAPTURE_ENV = "QMON_CAPTURE_ENV"
#: Attachment names (the MLflow sink writes them as ``run/<name>``).
ENVIRONMENT_FILE = "environment.txt"
CIRCUIT_FILE = "circuit.qasm"
#: Distributions whose versions become ``qmon.lib.<name>`` tags when installed.
LIBRARIES = ("qiskit", "qiskit-aer", "pennylane", "qiskit-machine-learning", "numpy")
#: How long one ``git`` call may take before the git tags are left out.
GIT_TIMEOUT_S = 2.0
#: How long a directory's git tags are reused: three git processes per run made a process starting
#: many runs (a sweep) spend most of its start-up in git; a commit or an edit is still seen by runs
#: started seconds later.
GIT_REUSE_S = 10.0

_GIT_SNAPSHOTS: Dict[str, Tuple[float, Dict[str, str]]] = {}

_LOG = logging.getLogger("qmon_sdk")
_OFF = ("0", "false", "no", "off")


def capture_enabled(environ: Optional[Mapping[str, str]] = None) -> bool:
    """Whether ``QMON_CAPTURE_ENV`` leaves the capture on (the default)."""
    env = os.environ if environ is None else environ
    return env.get(CAPTURE_ENV, "1").strip().lower() not in _OFF


def capture(script: Optional[str] = None) -> Tuple[Dict[str, str], Dict[str, str]]:
    """The tags and attachments of the running process.

    ``script`` is the entry point (default ``sys.argv[0]`` when it is a file); git is asked in its
    directory (else the working directory), and the git tags are absent outside a repository,
    without git, or when git does not answer within ``GIT_TIMEOUT_S``.
    """
    script = script if script is not None else _entry_point()
    tags = {
        "qmon.language": "python",
        "qmon.python.version": platform.python_version(),
        "qmon.host": socket.gethostname(),
        "mlflow.source.type": "LOCAL",
    }
    user = _user()
    if user:
        tags["mlflow.user"] = user
    if script:
        tags["mlflow.source.name"] = script
    tags.update(recent_git_tags(os.path.dirname(script) if script else os.getcwd()))
    sdk = _version("qmon_sdk")
    if sdk:
        tags["qmon.lib.qmon"] = sdk
    for name in LIBRARIES:
        version = _version(name)
        if version:
            tags[f"qmon.lib.{name}"] = version
    tags = {k: v[: validation.MAX_MAP_VALUE_LENGTH] for k, v in tags.items()}
    return tags, {ENVIRONMENT_FILE: environment_text()}


def recent_git_tags(directory: str, clock=time.monotonic) -> Dict[str, str]:
    """``git_tags(directory)``, reused for ``GIT_REUSE_S`` seconds after asking git."""
    key = os.path.abspath(directory)
    now = clock()
    snapshot = _GIT_SNAPSHOTS.get(key)
    if snapshot is None or now - snapshot[0] >= GIT_REUSE_S:
        snapshot = (now, git_tags(key))
        _GIT_SNAPSHOTS[key] = snapshot
    return dict(snapshot[1])


def git_tags(directory: str) -> Dict[str, str]:
    """``mlflow.source.git.commit``, ``qmon.source.git.dirty`` (tracked files changed or staged)
    and ``mlflow.source.git.branch`` (left out on a detached head) of the repository holding
    ``directory``; empty outside a repository."""
    commit = _git(directory, "rev-parse", "HEAD")
    if not commit:
        return {}
    tags = {"mlflow.source.git.commit": commit}
    status = _git(directory, "status", "--porcelain", "--untracked-files=no")
    if status is not None:
        tags["qmon.source.git.dirty"] = "true" if status else "false"
    branch = _git(directory, "rev-parse", "--abbrev-ref", "HEAD")
    if branch and branch != "HEAD":
        tags["mlflow.source.git.branch"] = branch
    return tags


def environment_text() -> str:
    """The installed distributions as ``pip freeze`` prints them (``name==version``, sorted by
    name), after a comment naming the interpreter, so ``pip install -r`` accepts the file."""
    versions: Dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            versions.setdefault(name, dist.version)
    lines = [
        f"# {platform.python_implementation()} {platform.python_version()} on {platform.platform()}",
    ]
    lines += [f"{name}=={versions[name]}" for name in sorted(versions, key=str.lower)]
    return "\n".join(lines) + "\n"


def circuit_text(circuit: Any) -> str:
    """OpenQASM of a circuit: a string as it is, a Qiskit ``QuantumCircuit`` through
    ``qiskit.qasm3.dumps`` (``qasm2.dumps`` when OpenQASM 3 cannot express it), or anything with a
    ``to_openqasm()`` method (a PennyLane tape)."""
    if isinstance(circuit, str):
        return circuit
    if type(circuit).__module__.startswith("qiskit"):
        from qiskit import qasm2, qasm3

        try:
            return qasm3.dumps(circuit)
        except Exception as qasm3_error:  # the exporter's own errors are not one type
            try:
                return qasm2.dumps(circuit)
            except Exception as qasm2_error:
                raise InvalidEventError(
                    "circuit",
                    f"cannot be written as OpenQASM 3 ({qasm3_error}) nor 2 ({qasm2_error})",
                    "INVALID_RUN_START",
                ) from qasm2_error
    to_openqasm = getattr(circuit, "to_openqasm", None)
    if callable(to_openqasm):
        return to_openqasm()
    raise InvalidEventError(
        "circuit",
        f"a {type(circuit).__name__} is not an OpenQASM string, a Qiskit QuantumCircuit "
        "nor an object with to_openqasm()",
        "INVALID_RUN_START",
    )


def _entry_point() -> Optional[str]:
    main = sys.argv[0] if sys.argv else ""
    return os.path.abspath(main) if main and os.path.isfile(main) else None


def _user() -> Optional[str]:
    try:
        return getpass.getuser()
    except (KeyError, OSError) as e:  # no login name and no passwd entry (some containers)
        _LOG.debug("no user name for mlflow.user: %s", e)
        return None


def _version(distribution: str) -> Optional[str]:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _git(directory: str, *args: str) -> Optional[str]:
    """One git call's output, or None (no git, not a repository, too slow)."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=directory or None,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        _LOG.debug("git %s in %s: %s; no git tags", " ".join(args), directory, e)
        return None
    if done.returncode != 0:
        _LOG.debug("git %s in %s: %s", " ".join(args), directory, done.stderr.strip())
        return None
    return done.stdout.strip()

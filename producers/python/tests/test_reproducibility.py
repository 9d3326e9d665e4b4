"""What a run carries about how it was made: git state from a real temporary repository, versions
from importlib.metadata, the circuit as OpenQASM; and nothing when the capture is off."""

import importlib.metadata
import json
import platform
import re
import subprocess
import sys

import pytest

from qmon_sdk import InvalidEventError, reproducibility
from qmon_sdk.publisher import RUNS
from test_runs import Captured

_GIT = ["git", "-c", "user.name=qmon-test", "-c", "user.email=qmon-test@example.invalid"]


def _normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _is_editable(dist):
    direct_url = dist.read_text("direct_url.json")
    return bool(direct_url) and json.loads(direct_url).get("dir_info", {}).get("editable", False)


def _git(repo, *args):
    return subprocess.run(_GIT + list(args), cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path):
    _git(tmp_path, "init", "-q", "-b", "exp-branch")
    script = tmp_path / "train.py"
    script.write_text("print('training')\n")
    _git(tmp_path, "add", "train.py")
    _git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


def test_inside_a_clean_repository_the_commit_branch_and_script_are_tagged(repo):
    tags, _ = reproducibility.capture(str(repo / "train.py"))
    # The reference reads the commit another way than the SDK does (git log, not rev-parse).
    assert tags["mlflow.source.git.commit"] == _git(repo, "log", "-1", "--format=%H")
    assert len(tags["mlflow.source.git.commit"]) == 40
    assert tags["qmon.source.git.dirty"] == "false"
    assert tags["mlflow.source.git.branch"] == "exp-branch"
    assert tags["mlflow.source.name"] == str(repo / "train.py")


def test_a_changed_tracked_file_makes_the_run_dirty_and_an_untracked_one_does_not(repo):
    (repo / "notes.txt").write_text("untracked\n")
    assert reproducibility.git_tags(str(repo))["qmon.source.git.dirty"] == "false"
    (repo / "train.py").write_text("print('changed')\n")
    assert reproducibility.git_tags(str(repo))["qmon.source.git.dirty"] == "true"


def test_runs_started_back_to_back_share_one_answer_of_git_and_a_later_one_asks_again(repo):
    now = [100.0]
    first = _git(repo, "log", "-1", "--format=%H")
    assert reproducibility.recent_git_tags(str(repo), lambda: now[0])["mlflow.source.git.commit"] == first
    (repo / "train.py").write_text("print('second')\n")
    _git(repo, "commit", "-q", "-am", "second")
    second = _git(repo, "log", "-1", "--format=%H")
    now[0] = 100.0 + reproducibility.GIT_REUSE_S - 0.5
    assert reproducibility.recent_git_tags(str(repo), lambda: now[0])["mlflow.source.git.commit"] == first
    now[0] = 100.0 + reproducibility.GIT_REUSE_S
    assert reproducibility.recent_git_tags(str(repo), lambda: now[0])["mlflow.source.git.commit"] == second


def test_outside_a_repository_the_git_tags_are_absent_and_nothing_is_raised(tmp_path):
    (tmp_path / "loose.py").write_text("\n")
    tags, attachments = reproducibility.capture(str(tmp_path / "loose.py"))
    assert not [k for k in tags if ".git." in k]
    assert tags["qmon.language"] == "python"
    assert "environment.txt" in attachments


def test_a_detached_head_has_a_commit_but_no_branch(repo):
    _git(repo, "checkout", "-q", "--detach")
    tags = reproducibility.git_tags(str(repo))
    assert tags["mlflow.source.git.commit"] == _git(repo, "log", "-1", "--format=%H")
    assert "mlflow.source.git.branch" not in tags


def test_versions_and_the_environment_list_come_from_the_installed_distributions(tmp_path):
    tags, attachments = reproducibility.capture(None)
    assert tags["qmon.python.version"] == "%d.%d.%d" % sys.version_info[:3]
    assert tags["qmon.python.version"] == platform.python_version()
    assert tags["qmon.lib.numpy"] == __import__("numpy").__version__
    assert tags["qmon.lib.qiskit"] == __import__("qiskit").__version__
    lines = attachments["environment.txt"].splitlines()
    assert lines[0].startswith("# CPython ") or lines[0].startswith("# ")
    pins = lines[1:]
    assert pins == sorted(pins, key=lambda line: line.split("==")[0].lower())
    # pip's own freeze is the reference, its editable installs aside: it prints those as a path or
    # a VCS URL (which one depends on the checkout's git remote), never as name==version.
    freeze = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    editable = {_normalized(dist.metadata["Name"]) for dist in importlib.metadata.distributions() if _is_editable(dist)}
    expected = {line for line in freeze if not line.startswith(("#", "-e "))}
    got = {pin for pin in pins if _normalized(pin.split("==")[0]) not in editable}
    assert got == expected
    assert f"pytest=={pytest.__version__}" in pins


def test_no_environment_variable_reaches_the_run(monkeypatch):
    monkeypatch.setenv("QMON_KAFKA_SASL_PASSWORD", "hunter2-secret-value")
    tags, attachments = reproducibility.capture(None)
    everything = " ".join(tags.values()) + attachments["environment.txt"]
    assert "hunter2-secret-value" not in everything


def test_start_run_attaches_the_environment_and_a_qiskit_circuit_as_openqasm(repo, monkeypatch):
    from qiskit import QuantumCircuit, qasm3

    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    monkeypatch.setattr(sys, "argv", [str(repo / "train.py")])
    qmon = Captured()
    with qmon.start_run("r", qubits=2, shots=10, target="t", circuit=qc, tags={"mlflow.user": "ada"}):
        pass
    started = qmon.on(RUNS)[0]["payload"][1]
    assert started["tags"]["mlflow.source.git.commit"] == _git(repo, "log", "-1", "--format=%H")
    assert started["tags"]["mlflow.user"] == "ada", "the caller's tags win"
    assert started["attachments"]["circuit.qasm"] == qasm3.dumps(qc)
    assert started["attachments"]["circuit.qasm"].startswith("OPENQASM 3")
    assert started["attachments"]["environment.txt"].count("==") > 10


def test_the_capture_is_off_by_argument_or_by_qmon_capture_env():
    with Captured().start_run("a", qubits=1, shots=1, target="t", capture_environment=False) as run:
        assert run.started["tags"] == {} and run.started["attachments"] == {}
    quiet = Captured(environ={"QMON_CAPTURE_ENV": "0"})
    run = quiet.start_run("b", qubits=1, shots=1, target="t", circuit="OPENQASM 2.0;")
    assert run.started["tags"] == {}
    assert run.started["attachments"] == {"circuit.qasm": "OPENQASM 2.0;"}, "a given circuit still goes"


def test_attachments_outside_the_bounds_are_refused_before_sending():
    qmon = Captured()
    with pytest.raises(InvalidEventError) as e:
        qmon.start_run("r", qubits=1, shots=1, target="t", attachments={"../x.txt": "x"})
    assert (e.value.field, e.value.error_type) == ("attachments[../x.txt]", "INVALID_RUN_START")
    with pytest.raises(InvalidEventError) as e:
        qmon.start_run("r", qubits=1, shots=1, target="t", attachments={"big.txt": "x" * 262145})
    assert e.value.error_type == "FIELD_TOO_LONG"
    assert qmon.events == [], "nothing was sent"


def test_a_circuit_of_an_unknown_kind_is_refused_naming_the_field():
    with pytest.raises(InvalidEventError) as e:
        Captured().start_run("r", qubits=1, shots=1, target="t", circuit=42)
    assert e.value.field == "circuit"


def test_a_refused_attachment_publishes_not_even_the_target():
    qmon = Captured()
    with pytest.raises(InvalidEventError):
        qmon.start_run("r", qubits=1, shots=1, target=[0.5, 0.5], attachments={".hidden": "x"})
    assert qmon.events == []

"""scripts/setup.sh, run against stand-ins for apt-get, dpkg, sudo and python3 that record
what they were asked (nothing is installed for real)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "setup.sh"
BASH = shutil.which("bash")

pytestmark = pytest.mark.skipif(BASH is None, reason="needs bash")

SYSTEM = ["python3-venv", "libgl1", "libegl1", "libxkbcommon0", "libglib2.0-0",
          "libfontconfig1", "libdbus-1-3", "fonts-wqy-microhei", "fonts-dejavu-core",
          "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
          "libxcb-render-util0", "libxcb-shape0", "libxcb-randr0", "libxcb-xkb1",
          "libxkbcommon-x11-0"]

_LOG = '#!{bash}\necho "{name} $*" >> "$SETUP_LOG"\n'
_STUBS = {
    # installed packages are the lines of $SETUP_INSTALLED; "name rc" lines are left as config
    "dpkg": '''[ "$1" = -s ] || exit 2
while read -r pkg state; do
  if [ "$pkg" = "$2" ]; then
    if [ "$state" = rc ]; then echo "Status: deinstall ok config-files"
    else echo "Status: install ok installed"; fi
    exit 0
  fi
done < "$SETUP_INSTALLED"
echo "dpkg-query: package '$2' is not installed" >&2; exit 1
''',
    "apt-get": "exit 0\n",
    "id": 'echo "$SETUP_UID"\n',
    "sudo": 'exec "$@"\n',
    # python3 -m venv .venv makes a .venv/bin/python that records too
    "python3": '''if [ "$1 $2" = "-m venv" ]; then
  mkdir -p "$3/bin"
  printf '#!%s\\necho "venv-python $*" >> "$SETUP_LOG"\\n' "$BASH" > "$3/bin/python"
  chmod +x "$3/bin/python"
fi
''',
}


@pytest.fixture
def repo(tmp_path):
    """A copy of the script in a repository of its own, and a PATH holding only stubs."""
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(SCRIPT, root / "scripts" / "setup.sh")
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for tool in ("env", "mkdir", "chmod", "sed"):
        os.symlink(shutil.which(tool), stubs / tool)
    (tmp_path / "installed").write_text("")
    return root


def _stub(repo, *names):
    stubs = repo.parent / "bin"
    for name in names:
        path = stubs / name
        path.write_text(_LOG.format(bash=BASH, name=name) + _STUBS[name])
        path.chmod(0o755)


def _run(repo, *args, uid="0", installed=(), stubs=tuple(_STUBS)):
    _stub(repo, *stubs)
    (repo.parent / "installed").write_text("".join(f"{p}\n" for p in installed))
    log = repo.parent / "log"
    log.write_text("")
    env = {"PATH": str(repo.parent / "bin"), "SETUP_LOG": str(log), "SETUP_UID": uid,
           "SETUP_INSTALLED": str(repo.parent / "installed"), "HOME": str(repo.parent)}
    r = subprocess.run([BASH, str(repo / "scripts" / "setup.sh"), *args], env=env,
                       capture_output=True, text=True, timeout=60)
    return r, log.read_text().splitlines()


def _installs(lines):
    return [line.split()[2:] for line in lines if line.startswith("apt-get install")]


def test_the_script_parses():
    r = subprocess.run([BASH, "-n", str(SCRIPT)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert os.access(SCRIPT, os.X_OK)


def test_a_fresh_machine_gets_the_packages_a_venv_and_the_project(repo):
    r, log = _run(repo, installed=["python3"])
    assert r.returncode == 0, r.stderr
    [installed] = _installs(log)
    assert installed == ["-y", "-q", *SYSTEM]
    assert "apt-get update -q" in log and not any(line.startswith("sudo") for line in log)
    assert "python3 -m venv .venv" in log
    assert log[-1] == "venv-python -m pip install -q -e ."
    assert "annotator demo" in r.stdout


def test_not_root_uses_sudo(repo):
    r, log = _run(repo, uid="1000")
    assert r.returncode == 0, r.stderr
    sudo = [line for line in log if line.startswith("sudo")]
    assert sudo and all("apt-get" in line for line in sudo)
    assert _installs(log)[0][2:4] == ["python3", "python3-venv"]


def test_a_second_run_skips_apt_and_keeps_the_venv(repo):
    _run(repo)
    r, log = _run(repo, "test", installed=["python3", *SYSTEM])
    assert r.returncode == 0, r.stderr
    assert not any(line.startswith("apt-get") for line in log)
    assert not any(line.startswith("python3 -m venv") for line in log)
    assert log[-1] == "venv-python -m pip install -q -e .[test,team]"
    assert "already installed" in r.stdout and "pytest" in r.stdout


def test_only_missing_packages_are_installed(repo):
    # a package removed with its configuration left is not installed
    have = ["python3", *SYSTEM[1:]]
    have[have.index("libgl1")] = "libgl1 rc"
    r, log = _run(repo, installed=have)
    assert r.returncode == 0, r.stderr
    assert _installs(log) == [["-y", "-q", "python3-venv", "libgl1"]]


def test_not_debian_fails_clearly(repo):
    r, log = _run(repo, stubs=("id", "sudo", "python3"))
    assert r.returncode == 1
    assert "Debian and Ubuntu" in r.stderr and "ANNOTATOR_SKIP_APT=1" in r.stderr
    assert not any(line.startswith("python3") for line in log)


def test_skipping_apt_on_another_system(repo):
    _stub(repo, "id", "python3")
    log = repo.parent / "log"
    log.write_text("")
    env = {"PATH": str(repo.parent / "bin"), "SETUP_LOG": str(log),
           "ANNOTATOR_SKIP_APT": "1", "HOME": str(repo.parent)}
    r = subprocess.run([BASH, str(repo / "scripts" / "setup.sh")], env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert log.read_text().splitlines()[-1] == "venv-python -m pip install -q -e ."


def test_an_unknown_argument_is_refused(repo):
    r, log = _run(repo, "tests")
    assert r.returncode == 1 and "unknown argument 'tests'" in r.stderr
    assert log == []

"""No file of the project names a path of a development machine (its virtualenvs, work
trees, home or shared folders): tools find frameworks from options, environment variables
or PATH, and everything else relative to the checkout."""
from __future__ import annotations

import os
import re
import subprocess
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Written so that this file does not match itself.
MACHINE_PATH = re.compile("|".join([
    r"/" + r"work/",                          # the development machines' work folder
    r"/" + r"root/", r"/" + r"home/[^/\s]+/", r"/" + r"Users/[^/\s]+/",
    r"venv-(torch|keras|sklearn|embed)\b",    # the framework virtualenvs made there
    r"/" + r"wt-[\w-]+",                       # git work trees beside the checkout
]))


def tracked_files() -> list[str]:
    """The files git tracks, else (an exported tree) every file outside build folders."""
    try:
        out = subprocess.run(["git", "-C", REPO, "ls-files", "-z"], capture_output=True, check=True).stdout
        return [os.path.join(REPO, f) for f in out.decode().split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for root, dirs, names in os.walk(REPO):
            dirs[:] = [d for d in dirs if not d.startswith((".git", ".build", ".venv", ".swiftpm"))]
            files += [os.path.join(root, n) for n in names]
        return files


class NoMachinePathsTest(unittest.TestCase):
    def test_no_file_names_a_development_machine_path(self):
        found = []
        for path in tracked_files():
            try:
                with open(path, encoding="utf-8") as f:
                    lines = f.readlines()
            except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
                continue
            rel = os.path.relpath(path, REPO)
            found += [f"{rel}:{n}: {line.strip()[:120]}" for n, line in enumerate(lines, 1) if MACHINE_PATH.search(line)]
        self.assertEqual(found, [], "files name paths of a development machine:\n" + "\n".join(found))

    def test_the_pattern_catches_what_it_should(self):
        for text in ("/" + "work/venv-" + "torch/bin/python", "/" + "root/.pyenv/versions", "/" + "home/dev/x",
                     "/" + "work/w" + "t-tron", "see /" + "work/shared/specs/torch.md"):
            self.assertIsNotNone(MACHINE_PATH.search(text), text)
        for text in ("/usr/bin/time", "/usr/bin/python3 -m venv --without-pip .venv-harness", "../shared/tools"):
            self.assertIsNone(MACHINE_PATH.search(text), text)


if __name__ == "__main__":
    unittest.main()

"""The core must work with PySide6 absent: import every core module with Qt blocked."""

import subprocess
import sys




PROBE = r"""
import importlib, pkgutil, sys

class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6"}:
            raise ImportError(f"core imported {name}")
        return None

sys.meta_path.insert(0, BlockQt())
import photostory.core
names = ["photostory.cli", "photostory.errors", "photostory.resources"]
names += [m.name for m in pkgutil.walk_packages(photostory.core.__path__, "photostory.core.")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def test_every_core_module_imports_without_qt():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 15  # the probe really walked the core

import os

# Qt tests run without a display, in CI and on a developer's machine alike.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

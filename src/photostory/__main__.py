"""``python -m photostory``: the command line."""

from photostory.cli import main

raise SystemExit(main())

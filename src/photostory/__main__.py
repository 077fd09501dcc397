from photostory.cli import main

raise SystemExit(main())

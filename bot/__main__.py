"""`python -m bot` is the `rapport-coach` command."""

from bot.cli import main

raise SystemExit(main())

"""`python -m inhouse.nlp ...` (same as `inhouse nlp ...`, without Django)."""

import sys

from inhouse.nlp.cli import main

sys.exit(main())

#!/usr/bin/env python
"""Django's command-line utility; the installed ``dangjian`` script does the same."""

import sys

from dangjian.__main__ import main

if __name__ == "__main__":
    sys.exit(main())

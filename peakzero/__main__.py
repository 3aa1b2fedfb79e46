"""``python -m peakzero``."""

from peakzero.cli import main

main()

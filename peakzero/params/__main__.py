"""``python -m peakzero.params > docs/parameters.md``: the reference page of every input field."""

from peakzero.params import reference_markdown

print(reference_markdown(), end="")

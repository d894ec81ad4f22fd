"""The integrity tests use the duties tests' fixtures (a held activity of a given type, an xlsx in
memory): one definition, imported here so pytest registers it for this folder too."""

from dangjian.duties.tests.conftest import held, xlsx

__all__ = ["held", "xlsx"]

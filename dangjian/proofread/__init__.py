"""公文校对 — a proofreader for Chinese official documents (pure Python, no Django).

Public API::

    from dangjian.proofread import check, Finding
    findings = check(text, date=datetime.date(2024, 5, 8))
"""

from .engine import check
from .finding import KINDS, Finding
from .io import ProofreadInputError, apply_fixes, read_document

__all__ = ["check", "Finding", "KINDS", "ProofreadInputError", "read_document", "apply_fixes"]

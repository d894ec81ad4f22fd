"""公文校对 — a proofreader for Chinese official documents (pure Python, no Django).

Public API::

    from dangjian.proofread import check, Finding
    findings = check(text, date=datetime.date(2024, 5, 8))  # errors only
    findings = check(text, style=True)  # also the opt-in style level (Finding.severity == "style")
    document_date(text)  # the date check() uses when none is given (成文日期 or latest date)
"""

from .engine import check, document_date
from .finding import KINDS, SEVERITIES, Finding
from .io import ProofreadInputError, apply_fixes, document_text, read_document

__all__ = [
    "document_text",
    "check",
    "document_date",
    "Finding",
    "KINDS",
    "SEVERITIES",
    "ProofreadInputError",
    "read_document",
    "apply_fixes",
]

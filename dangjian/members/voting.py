"""The branch general meeting's voting rule, shared by the ledger and the admission pipeline.

《中国共产党支部工作条例（试行）》第十一条: a vote needs more than half of the members with voting
rights present, and passes when "for" votes exceed half of the voting members who should attend.
Probationary members have no vote (2020 选举工作条例第五条; ``Member.has_vote``).
"""

from __future__ import annotations

VOTE_SOURCE = "《中国共产党支部工作条例（试行）》第十一条"


def quorum_met(present: int | None, eligible: int | None) -> bool:
    """More than half of the members with a vote are present."""
    return bool(eligible) and (present or 0) * 2 > (eligible or 0)


def motion_passed(votes_for: int | None, eligible: int | None) -> bool:
    """ "For" votes exceed half of the voting members who should attend."""
    return bool(eligible) and (votes_for or 0) * 2 > (eligible or 0)

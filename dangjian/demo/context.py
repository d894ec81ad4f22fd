"""What the demo builders share while they build the fictional bureau."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Builders run in this order; each is ``dangjian.<app>.demo.build(ctx)`` when the app is
# installed and has that module. The members builder lays the ground (organizations, members,
# accounts) that every later builder reads from the context.
BUILDER_APPS = [
    "members",
    "recruitment",
    "activities",
    "compliance",
    "dues",
    "duties",
    "campaigns",
    "rectification",
    "honours",
    "integrity",
    "reports",
]


@dataclass
class DemoContext:
    """Shared state of one demo build: the clock, a seeded RNG and what earlier builders made."""

    today: datetime.date
    rng: random.Random
    password: str
    log: Callable[[str], None]
    leading_group: Any = None
    organ_committee: Any = None
    branches: list[Any] = field(default_factory=list)  # branch 1 first; zbN is branches[N-1]'s secretary
    cells: list[Any] = field(default_factory=list)
    users: dict[str, Any] = field(default_factory=dict)  # "admin", "jgdw", "zb1"…, "jj", "dy1"
    extra: dict[str, Any] = field(default_factory=dict)  # free-form hand-over between builders

"""扫码签到: the short-lived token behind a meeting's QR code, and the code itself as SVG.

A token names an activity and a 30-second window and carries an HMAC of both under the
project's secret key. It is accepted in its own window and the one after (so a code scanned as
it changes still works), never later: a photo of the screen passed round after the meeting
signs nobody in. Tokens hold no user; the member is whoever logs in on their own phone.
"""

from __future__ import annotations

import io
import time

import segno
from django.utils.crypto import constant_time_compare, salted_hmac

WINDOW_SECONDS = 30
SALT = "dangjian.activities.signin"
EXPIRED = "签到二维码已过期，请扫描会场屏幕上最新的二维码。"
INVALID = "签到二维码无效，请扫描会场屏幕上的二维码。"


class TokenError(ValueError):
    """A token that is malformed, forged or expired; the message is for the member."""


def window_at(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // WINDOW_SECONDS)


def _mac(activity_id: int, window: int) -> str:
    return salted_hmac(SALT, f"{activity_id}:{window}", algorithm="sha256").hexdigest()[:20]


def make_token(activity_id: int, now: float | None = None) -> str:
    """The token for ``activity_id`` in the window containing ``now``."""
    window = window_at(now)
    return f"{activity_id}-{window}-{_mac(activity_id, window)}"


def read_token(token: str, now: float | None = None) -> int:
    """The activity id a token names, if it is genuine and of this window or the previous one."""
    try:
        activity_part, window_part, mac = token.split("-")
        activity_id, window = int(activity_part), int(window_part)
    except ValueError as exc:
        raise TokenError(INVALID) from exc
    if not constant_time_compare(mac, _mac(activity_id, window)):
        raise TokenError(INVALID)
    if not 0 <= window_at(now) - window <= 1:
        raise TokenError(EXPIRED)
    return activity_id


def seconds_left(now: float | None = None) -> int:
    """Seconds until the code on screen changes."""
    now = time.time() if now is None else now
    return WINDOW_SECONDS - int(now % WINDOW_SECONDS)


def qr_svg(url: str) -> str:
    """``url`` as an inline SVG QR code (medium error correction: a projector's glare is forgiven)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out,
        kind="svg",
        scale=8,
        border=2,
        xmldecl=False,
        svgns=True,
        svgclass="qr",
        lineclass=None,
        omitsize=True,
    )
    return out.getvalue().decode("utf-8")

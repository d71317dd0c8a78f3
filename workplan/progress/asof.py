"""The day progress is counted up to ("统计截至"), shared by the site and the import command."""
from __future__ import annotations

import datetime as dt
import os

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")   # the deadlines are dates in Ganzhou


def build_date(environ=None, override=None) -> dt.date:
    """The day progress is counted up to ("统计截至"; overdue means after the deadline): `override`
    (mkdocs.yml extra.progress_as_of, env PROGRESS_AS_OF: YYYY-MM-DD) if given, else the day of
    SOURCE_DATE_EPOCH, else today — in China time (UTC+8), since the deadlines are local dates.
    A build with the same SOURCE_DATE_EPOCH (or PROGRESS_AS_OF) therefore gives the same pages."""
    if override not in (None, ""):
        return override if isinstance(override, dt.date) else dt.date.fromisoformat(str(override).strip())
    environ = os.environ if environ is None else environ
    epoch = str(environ.get("SOURCE_DATE_EPOCH", "")).strip()
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), CHINA).date()
    return dt.datetime.now(CHINA).date()

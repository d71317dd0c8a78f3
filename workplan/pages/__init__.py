"""Every page the site generates from the data: the editions (one per plan year, workplan/pages/
edition.py) and the pages of the whole site (site.py); where pages and files are (urls.py); the
helpers templates call for overviews (overviews.py) and progress (progress_view.py)."""
from __future__ import annotations

from ..progress import build_date
from .edition import BOOST, EditionSite
from .gitinfo import edit_base_from, git_dates
from .site import Site
from .text import md_escape, oneline, pinyin_key, safe_title
from ..exports import edition_file
from .urls import PageSpec, dest_url, edition_src

__all__ = ["BOOST", "EditionSite", "PageSpec", "Site", "build_date", "dest_url", "edit_base_from", "edition_file",
           "edition_src", "git_dates", "md_escape", "oneline", "pinyin_key", "safe_title"]

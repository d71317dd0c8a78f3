"""mkdocs-macros entry point: wires the loaded plan into page templates, nothing more.

The plan is loaded and validated once by workplan/hooks.py (on_config), which also renders the
generated pages (workplan.pages.Site). Macros serve the hand-written pages in docs/: the plan
as a variable and data-driven fragments.
"""
from workplan.hooks import site_of
from workplan.pages import md_escape


def define_env(env):
    site = site_of(env.conf)
    env.variables["plan"] = site.plan
    env.filters["md"] = md_escape   # data text in a hand-written page: {{ plan.document.title | md }}

    @env.macro
    def fragment(name: str) -> str:
        """A data-driven block for a hand-written page, e.g. {{ fragment("home") }}."""
        return site.render_fragment(name, env.page.url)

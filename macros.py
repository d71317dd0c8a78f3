"""mkdocs-macros entry point: wires the loaded plan into page templates, nothing more.

The plan is loaded and validated once by workplan/hooks.py (on_config); pages are rendered
by workplan.pages.Site. Macros only look up the current page's URL and delegate.
"""
from workplan.hooks import site_of
from workplan.pages import md_escape


def define_env(env):
    site = site_of(env.conf)
    env.variables["plan"] = site.plan
    env.filters["md"] = md_escape   # data text in a hand-written page: {{ plan.document.title | md }}

    @env.macro
    def render_page(src: str) -> str:
        """Body of a generated page (see workplan.pages.Site.specs)."""
        return site.render(src, env.page.url)

    @env.macro
    def fragment(name: str) -> str:
        """A data-driven block for a hand-written page, e.g. {{ fragment("home") }}."""
        return site.render_fragment(name, env.page.url)

"""mkdocs-macros entry point: wires the loaded plans into page templates, nothing more.

Every edition is loaded and validated once by workplan/hooks.py (on_config), which also renders
the generated pages (workplan.pages.Site). Macros serve the hand-written pages in docs/: the
newest plan as a variable and data-driven fragments.
"""
from workplan.hooks import site_of
from workplan.pages import md_escape


def define_env(env):
    site = site_of(env.conf)
    env.variables["plan"] = site.plan   # the newest edition's plan
    env.filters["md"] = md_escape       # data text in a hand-written page: {{ plan.document.title | md }}

    @env.macro
    def fragment(name: str) -> str:
        """A block drawn from the newest edition, e.g. {{ fragment("home") }}."""
        return site.render_fragment(name, env.page.url)

    @env.macro
    def site_fragment(name: str) -> str:
        """A block drawn from every edition, e.g. {{ site_fragment("editions_list") }}."""
        return site.render_site_fragment(name, env.page.url)

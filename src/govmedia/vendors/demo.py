"""Demo data for 外包服务管理; called by govmedia.demo.load_demo with the demo bureau's objects."""


def load(ctx: dict) -> None:
    """ctx: bureau, institutions, sections, people (username → Person), office, accounts (list)."""

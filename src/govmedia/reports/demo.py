"""Demo data for 监测看板与报表; called by govmedia.demo.load_demo with the demo bureau's objects."""


def load(ctx: dict) -> None:
    """ctx: bureau, institutions, sections, people (username → Person), office, accounts (list)."""

"""Demo data for 突发事件与应急; called by govmedia.demo.load_demo with the demo bureau's objects."""


def load(ctx: dict) -> None:
    """ctx: bureau, institutions, sections, people (username → Person), office, accounts (list)."""

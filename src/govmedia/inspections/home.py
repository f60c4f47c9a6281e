"""What 巡检与检查整改 adds to the home page (待办 and warnings), for one person."""


def context(user, now) -> dict:
    return {}

"""What 假冒账号处置 adds to the home page (待办 and warnings), for one person."""


def context(user, now) -> dict:
    return {}

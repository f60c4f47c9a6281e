"""What 账号安全与人员 adds to the home page (待办 and warnings), for one person."""


def context(user, now) -> dict:
    return {}

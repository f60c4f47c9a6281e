"""What 外包服务管理 adds to the home page (待办 and warnings), for one person."""


def context(user, now) -> dict:
    return {}

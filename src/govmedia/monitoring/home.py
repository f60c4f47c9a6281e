"""What 常态化监管 adds to the home page: messages and comments still waiting for a reply.

Accounts behind on their weekly update are the reports app's card (state counts for the office, the unit's
accounts for others), so the home page says it once."""

from govmedia.monitoring import queries


def context(user, now) -> dict:
    return {"monitoring_unanswered": queries.unanswered(user).count()}

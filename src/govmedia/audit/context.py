"""The request id of the request being served, for audit rows written deep inside actions."""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="")
client_ip: ContextVar[str] = ContextVar("client_ip", default="")

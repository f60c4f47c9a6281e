"""A JSON client over the real URL conf with a bearer token from the real action, for the API tests."""

from __future__ import annotations

BASE = "/api/v1"


class Api:
    """The Django test client speaking JSON, with one bearer token or none."""

    def __init__(self, client, token: str | None):
        self.client, self.token = client, token

    def _headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params):
        return self.client.get(BASE + path, params, headers=self._headers())

    def post(self, path: str, body=None):
        return self.client.post(BASE + path, body if body is not None else {}, content_type="application/json",
                                headers=self._headers())

    def patch(self, path: str, body: dict):
        return self.client.patch(BASE + path, body, content_type="application/json", headers=self._headers())

"""Bounded limit/offset pages for every list the API returns."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200  # one request never serialises more than this many rows


class Pages(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，最多 {MAX_PAGE_SIZE}")
        offset: int = Field(0, ge=0, description="起始位置")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)


class RowsOf:
    """A queryset seen as rows: the page is sliced in SQL and only its rows are turned into answers, so a list
    whose rows need formatting still costs one COUNT and one page of rows, not the whole table."""

    def __init__(self, queryset, to_row):
        self.queryset, self.to_row = queryset, to_row

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list:
        return [self.to_row(obj) for obj in self.queryset[page]]

"""Units: what the caller may see, for choosing an account's owner and filtering lists."""

from ninja import Router

from govmedia.api.schemas import UnitOut
from govmedia.org import access

router = Router(tags=["单位"])


@router.get("/units", response=list[UnitOut], summary="可见的单位")
def list_units(request):
    return access.visible_units(request.auth)

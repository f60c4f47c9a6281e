"""What anyone may ask without a token: which accounts are genuine and running (公开名录)."""

from ninja import Router
from ninja.pagination import paginate

from govmedia.api.pagination import Pages
from govmedia.api.schemas import PublicAccountOut
from govmedia.registry.models import Account, Status

router = Router(tags=["公开"])


@router.get("/accounts", response=list[PublicAccountOut], auth=None, summary="运行中的账号（无需令牌）")
@paginate(Pages)
def public_accounts(request):
    return (Account.objects.in_status(Status.RUNNING).select_related("unit", "platform")
            .order_by("unit__sort_order", "platform__sort_order", "id"))

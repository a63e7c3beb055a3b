"""The public catalogue: no token, only available products of active sellers, and never a
seller's phone or participant id."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from berdaya_shared.api.deps import LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import handlers
from ..schemas import CatalogueItem, CataloguePage

router = APIRouter(prefix="/catalogue", tags=["catalogue"])
Kecamatan = Annotated[str | None, Query(pattern=r"^31\.\d{2}\.\d{2}$")]
Kelurahan = Annotated[str | None, Query(pattern=r"^31\.\d{2}\.\d{2}\.\d{4}$")]
Text = Annotated[str | None, Query(min_length=1, max_length=100, description="Part of a name")]
# The catalogue's cursor is the last product id of the previous page.
Cursor = Annotated[str | None, Query(max_length=36, description="The next_cursor of the previous page")]
ProductId = Annotated[str, Path(max_length=36)]


@router.get("", response_model=CataloguePage)
def browse(sessions: SessionsDep, kecamatan_code: Kecamatan = None,
           kelurahan_code: Kelurahan = None, q: Text = None, limit: LimitQuery = 100,
           cursor: Cursor = None) -> CataloguePage:
    with transaction(sessions) as session:
        rows = handlers.catalogue(session=session, kecamatan_code=kecamatan_code,
                                  kelurahan_code=kelurahan_code, q=q, limit=limit, after=cursor)
        items = [CatalogueItem.of(product, seller) for product, seller in rows]
    return CataloguePage(items=items, next_cursor=items[-1].id if len(items) == limit else None)


@router.get("/{product_id}", response_model=CatalogueItem)
def show(product_id: ProductId, sessions: SessionsDep) -> CatalogueItem:
    with transaction(sessions) as session:
        return CatalogueItem.of(*handlers.catalogue_item(session=session, product_id=product_id))

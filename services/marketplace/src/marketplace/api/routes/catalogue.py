"""The public catalogue: no token, only available products of sellers who consented and are
not paused, and never a seller's phone, participant id or (unless chosen) full name."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from berdaya_shared.api.deps import LimitQuery, SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import handlers
from ..schemas import CatalogueItem, CataloguePage, CategoryRead

router = APIRouter(prefix="/catalogue", tags=["catalogue"])
categories_router = APIRouter(prefix="/categories", tags=["catalogue"])
Kota = Annotated[str | None, Query(pattern=r"^31\.\d{2}$")]
Category = Annotated[str | None, Query(min_length=1, max_length=60, examples=["kue-basah"])]
Kecamatan = Annotated[str | None, Query(pattern=r"^31\.\d{2}\.\d{2}$")]
Kelurahan = Annotated[str | None, Query(pattern=r"^31\.\d{2}\.\d{2}\.\d{4}$")]
Text = Annotated[str | None, Query(min_length=1, max_length=100, description="Part of a name")]
Cursor = Annotated[str | None, Query(max_length=200,
                                     description="The next_cursor of the previous page")]
ProductId = Annotated[str, Path(max_length=36)]


@router.get("", response_model=CataloguePage)
def browse(sessions: SessionsDep, kota_code: Kota = None, kecamatan_code: Kecamatan = None,
           kelurahan_code: Kelurahan = None, category: Category = None, q: Text = None,
           limit: LimitQuery = 100, cursor: Cursor = None) -> CataloguePage:
    with transaction(sessions) as session:
        rows, next_cursor = handlers.catalogue(
            session=session, kota_code=kota_code, kecamatan_code=kecamatan_code,
            kelurahan_code=kelurahan_code, category=category, q=q, limit=limit, cursor=cursor)
        items = [CatalogueItem.of(product, seller) for product, seller in rows]
    return CataloguePage(items=items, next_cursor=next_cursor)


@categories_router.get("", response_model=list[CategoryRead])
def categories(sessions: SessionsDep) -> list[CategoryRead]:
    """The catalogue's categories (data, not code): a product names one by ``code``."""
    with transaction(sessions) as session:
        return [CategoryRead.model_validate(c) for c in handlers.categories(session=session)]


@router.get("/{product_id}", response_model=CatalogueItem)
def show(product_id: ProductId, sessions: SessionsDep) -> CatalogueItem:
    with transaction(sessions) as session:
        return CatalogueItem.of(*handlers.catalogue_item(session=session, product_id=product_id))

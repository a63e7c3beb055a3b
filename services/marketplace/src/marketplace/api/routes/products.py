from typing import Annotated

from fastapi import APIRouter, Depends

from berdaya_shared.api.auth import Principal, require_roles
from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import handlers
from ..schemas import ProductChange, ProductRead

router = APIRouter(prefix="/products", tags=["products"])
Officer = Annotated[Principal, Depends(require_roles(
    "city_admin", "kecamatan_officer", "kelurahan_officer"))]


@router.patch("/{product_id}", response_model=ProductRead)
def change_product(product_id: str, body: ProductChange, principal: Officer,
                   sessions: SessionsDep) -> ProductRead:
    with transaction(sessions) as session:
        product = handlers.change_product(session=session, principal=principal,
                                          product_id=product_id, **body.model_dump())
        return ProductRead.model_validate(product)

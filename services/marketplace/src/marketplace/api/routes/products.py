from typing import Annotated

from fastapi import APIRouter, Path

from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import handlers
from ..deps import Officer, SettingsDep
from ..schemas import ProductChange, ProductRead

router = APIRouter(prefix="/products", tags=["products"])
ProductId = Annotated[str, Path(max_length=36)]


@router.patch("/{product_id}", response_model=ProductRead)
def change_product(product_id: ProductId, body: ProductChange, principal: Officer,
                   sessions: SessionsDep, settings: SettingsDep) -> ProductRead:
    with transaction(sessions) as session:
        product = handlers.change_product(session=session, principal=principal,
                                          product_id=product_id, price=body.price,
                                          available=body.available, stock=body.stock,
                                          source=settings.source)
        return ProductRead.model_validate(product)

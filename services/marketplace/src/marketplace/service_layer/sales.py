"""Sales as evidence: every fulfilled order and every bazaar sale its organiser records becomes
one ``sale`` row and one ``SaleRecorded`` event, in the caller's transaction, so monitoring's
income and seasonality rest on real sales and the reports read one table."""

from datetime import UTC, date, datetime

from sqlmodel import Session

from ..adapters.tables import Sale, SellerProfile
from ..domain.model import SaleChannel
from ..messaging import outgoing


def record_sale(*, session: Session, seller: SellerProfile, amount: int, quantity: int,
                sold_on: date, channel: SaleChannel, source_ref: str | None, recorded_by: str,
                source: str) -> Sale:
    """Store the sale (area copied from the seller at the time of sale) and tell monitoring."""
    sale = Sale(seller_id=seller.id, participant_id=seller.participant_id,
                kelurahan_code=seller.kelurahan_code, kecamatan_code=seller.kecamatan_code,
                kota_code=seller.kota_code, amount=amount, quantity=quantity, sold_on=sold_on,
                channel=channel, source_ref=source_ref, recorded_by=recorded_by,
                recorded_at=datetime.now(UTC))
    session.add(sale)
    session.flush()
    outgoing.sale_recorded(session, sale, source=source)
    return sale

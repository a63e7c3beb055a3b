"""Bounded input types: every value a caller sends fits the column it lands in.

PostgreSQL's INTEGER holds -2**31 .. 2**31-1 and BIGINT -2**63 .. 2**63-1; a larger number
must be a 422 naming the field, never a 500 from the database. Strings carry a
``max_length`` equal to their column's; text with a NUL character (which PostgreSQL cannot
store) is refused for JSON bodies, query strings and paths by the input guard
(``berdaya_shared.api.guard``) and, for form fields, by ``NoNul`` here.
"""

from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

INT32_MAX = 2**31 - 1
INT32_MIN = -(2**31)
BIGINT_MAX = 2**63 - 1


def refuse_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "must not contain the NUL character")
    return value


NoNul = AfterValidator(refuse_nul)
Int32 = Annotated[int, Field(ge=INT32_MIN, le=INT32_MAX)]
NonNegativeInt32 = Annotated[int, Field(ge=0, le=INT32_MAX)]
PositiveInt32 = Annotated[int, Field(ge=1, le=INT32_MAX)]
NonNegativeBigInt = Annotated[int, Field(ge=0, le=BIGINT_MAX)]

"""Issue 6, items 2 and 13: no input makes any service answer 5xx (on PostgreSQL).

Every operation of each service's OpenAPI schema is called with generated input, valid and
invalid (``mode = all``): NUL characters, oversize integers and strings, nulls, wrong types,
ids of real records and of none. A 5xx fails the test, and so does a documented response that
does not match its schema.
"""

import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_no_input_gets_a_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

"""Fixtures of the fault tests: a campaign with donations published (the funds' own fixtures)."""

from doanket.funds.tests.test_ledger import published  # noqa: F401 - the fixture
from doanket.funds.tests.test_statements import account  # noqa: F401 - the fixture

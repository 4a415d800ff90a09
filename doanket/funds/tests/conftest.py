"""Fixtures shared by the funds tests: a campaign's account, and a campaign with donations published."""

from doanket.funds.tests.test_ledger import published  # noqa: F401 - the fixture
from doanket.funds.tests.test_statements import account  # noqa: F401 - the fixture

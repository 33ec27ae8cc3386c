from tests.reports.october import desk, october, september  # noqa: F401

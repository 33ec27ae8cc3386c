"""Report models arrive with the monthly complaint report."""

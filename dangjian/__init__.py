"""dangjian — 党建台账."""

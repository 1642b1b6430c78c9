"""The pure domain core: ZRM, criteria, advice, tariffs, periods. No Qt, no SQLAlchemy."""

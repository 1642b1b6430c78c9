"""Team mode fixtures (defined in team_support, which the tests import by that unique name)."""

from team_support import laptop, office, office_url

__all__ = ["laptop", "office", "office_url"]

"""The office side of team mode (issue 15, docs/team-mode.md): PostgreSQL plus a small ASGI
service the laptops sync with over mutual TLS. No Qt here; only `commands/` imports it."""

"""The case editor's pages (one module per page) and what they share."""

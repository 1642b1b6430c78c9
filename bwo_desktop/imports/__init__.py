"""Reading files from outside (planning workbooks): checked, pure, no database."""

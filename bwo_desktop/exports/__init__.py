"""exports layer of bwo-desktop."""

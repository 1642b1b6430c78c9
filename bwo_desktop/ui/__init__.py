"""ui layer of bwo-desktop."""

"""commands layer of bwo-desktop."""

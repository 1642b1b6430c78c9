"""services layer of bwo-desktop."""

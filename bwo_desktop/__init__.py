"""bwo-desktop: herindicatie Beschermd Wonen extramuraal for the Sociale Dienst Drechtsteden."""

__version__ = "0.1.0"
APP_NAME = "bwo-desktop"
APP_TITLE = "BWO Herindicatie"

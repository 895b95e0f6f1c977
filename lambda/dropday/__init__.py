"""dropday: an Alexa skill kit for album launches (tips from the band, a release countdown)."""

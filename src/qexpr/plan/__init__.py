"""Stage 3: the typed plan validation produces and every backend prints."""

"""cuesheet stage."""

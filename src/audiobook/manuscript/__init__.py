"""manuscript stage."""

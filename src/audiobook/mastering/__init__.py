"""mastering stage."""

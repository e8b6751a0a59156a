"""casting stage."""

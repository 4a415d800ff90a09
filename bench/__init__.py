"""National-scale benchmarks (see README.md)."""

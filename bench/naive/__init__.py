"""Deliberately naive versions of the two heaviest pages — the benchmark's baseline, never used by the app."""

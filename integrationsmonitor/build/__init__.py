"""Stage 2: the build — validate, load, derive, suppress, publish versions."""

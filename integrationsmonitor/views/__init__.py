"""Stage 3: views — figures, tables and sentences computed from the built database."""

"""Stage 1: reading and checking deliveries (CSV/XLSX, catalogue, geometry)."""

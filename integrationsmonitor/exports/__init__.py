"""Stage 4: exports — committee package (PDF, PPTX, XLSX), editions, presentation, downloads."""

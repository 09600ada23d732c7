"""Stage 5: serving — the only Streamlit-aware code (UI helpers, login)."""

"""View functions, one module per topic; each registers its views with ``@views.view(key)``."""

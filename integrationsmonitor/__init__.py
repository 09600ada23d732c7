"""Integrationsmonitor Hagen: build, query and present the indicators of Hagen's Integrationskonzept."""

__version__ = "0.1.0"

"""Fixtures come from the snapdesk pytest plugin (webapp/testing/plugin.py), installed with the package."""

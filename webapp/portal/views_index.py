"""Imports the portal's view modules that exist (each helper area adds its module here)."""

import importlib

for _name in ("domains", "auth", "tickets", "kb"):
    try:
        importlib.import_module(f"webapp.portal.{_name}")
    except ModuleNotFoundError as exc:  # being built alongside; remove this guard once all exist
        if exc.name != f"webapp.portal.{_name}":
            raise

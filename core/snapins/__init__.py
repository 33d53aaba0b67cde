"""Snap-ins inside the core: discovery (registry), per-workspace dispatch, contexts, the store, admin."""

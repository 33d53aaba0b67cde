"""Bridges the core's event bus to the current app's dispatcher."""

from __future__ import annotations

from core.events import DomainEvent


def forward_to_dispatcher(sender: str, *, event: DomainEvent) -> None:
    # blinker signals are process-wide; the runtime is per app, so look it up at send time.
    from core.runtime import get_runtime

    get_runtime().dispatcher.on_domain_event(sender, event=event)

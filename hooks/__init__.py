"""The snap-in contract. A snap-in imports from here, and from here only.

- :class:`Snapin`: the manifest base class; :data:`hookimpl`: marks hook implementations.
- :mod:`hooks.specs`: every hook, with when it fires and what it returns.
- :class:`Context`: what a hook receives, with the services a snap-in may use.
- :mod:`hooks.types`: the plain data hooks receive and return.
"""

import pluggy

from hooks.context import Context, NotFoundError
from hooks.manifest import ConfigError, Snapin
from hooks.specs import DECISION_HOOKS, EVENT_HOOKS, PROJECT
from hooks.types import (
    AccountInfo,
    ArticleInfo,
    CommentInfo,
    ContactInfo,
    ConversationInfo,
    MenuItem,
    MessageInfo,
    PageAction,
    ProvisionDecision,
    Route,
    RouteRequest,
    RouteResponse,
    RoutingDecision,
    SpamVerdict,
    StageChangeInfo,
    TicketInfo,
    UserInfo,
    Viewer,
    WorkspaceInfo,
)

#: Marks a method of a :class:`Snapin` subclass as a hook implementation.
hookimpl = pluggy.HookimplMarker(PROJECT)

__all__ = [
    "AccountInfo", "ArticleInfo", "CommentInfo", "ConfigError", "ContactInfo", "Context",
    "ConversationInfo", "DECISION_HOOKS", "EVENT_HOOKS", "MenuItem", "MessageInfo", "NotFoundError",
    "PROJECT", "PageAction", "ProvisionDecision", "Route", "RouteRequest", "RouteResponse",
    "RoutingDecision", "Snapin", "SpamVerdict", "StageChangeInfo", "TicketInfo", "UserInfo", "Viewer",
    "WorkspaceInfo", "hookimpl",
]

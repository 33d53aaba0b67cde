"""Test snap-ins for the Settings > Snap-ins page: one per kind of config field and state.

(A module of its own, not conftest, so tests import it by a name no other test folder uses.)
"""

from __future__ import annotations

from typing import Any

import marshmallow
from hooks import ConfigError, Snapin

SECRET = "sk-live-very-secret-4242"


class Screener(Snapin):
    """A snap-in with every kind of config field, a secret and a cross-field rule."""

    title = "Screener"
    description = "Screens new conversations (test snap-in)."
    author = "Test Co"
    version = "1.4.2"

    class config_schema(marshmallow.Schema):  # noqa: N801 - the manifest's attribute name
        threshold = marshmallow.fields.Integer(
            load_default=5, validate=marshmallow.validate.Range(1, 10), metadata={"label": "Threshold", "help": "From 1 to 10."}
        )
        ratio = marshmallow.fields.Float(load_default=0.5, metadata={"label": "Ratio"})
        api_key = marshmallow.fields.String(required=True, metadata={"label": "API key", "secret": True})
        mode = marshmallow.fields.String(load_default="lenient", validate=marshmallow.validate.OneOf(["lenient", "strict"]))
        check_verified = marshmallow.fields.Boolean(load_default=False, metadata={"label": "Check verified contacts"})
        note = marshmallow.fields.String(load_default="", metadata={"widget": "textarea"})
        rules = marshmallow.fields.List(marshmallow.fields.Dict(), load_default=list, metadata={"label": "Rules"})

    def validate_config(self, config: dict[str, Any]) -> None:
        if config["mode"] == "strict" and not config["rules"]:
            raise ConfigError({"rules": "Strict mode needs at least one rule."})


class Plain(Snapin):
    title = "Plain"
    description = "Takes no configuration (test snap-in)."


class FromTheFuture(Snapin):
    title = "From the future"
    compatibility = "snapdesk>=99"


class Refuser(Snapin):
    title = "Refuser"
    description = "Fails when enabled (test snap-in)."

    def on_enable(self, context: Any) -> None:
        raise RuntimeError("the CRM did not answer")


SNAPINS = {"screener": Screener, "plain": Plain, "future": FromTheFuture, "refuser": Refuser}

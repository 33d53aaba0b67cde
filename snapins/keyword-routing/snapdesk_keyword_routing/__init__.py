"""Keyword routing: a new conversation whose title or first message matches a rule goes to that
rule's owner (an agent) or group (agents taken in turn); otherwise the core's default applies."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate, validates_schema
from marshmallow import ValidationError as SchemaError

from hooks import ConfigError, Context, RoutingDecision, Snapin, hookimpl
from hooks.types import ContactInfo, ConversationInfo, MessageInfo
from snapdesk_keyword_routing.matching import matched_keywords

PRIORITIES = ("p0", "p1", "p2", "p3")
#: The conversation tags snapdesk knows ("resolution" takes a value).
TAGS = ("stalled", "priority", "escalated", "fast_moving", "slow_moving", "blocked", "resolution")


class RuleSchema(Schema):
    name = fields.String(load_default="", metadata={"label": "Rule name"})
    keywords = fields.List(
        fields.String(validate=validate.Length(min=1, max=100)),
        required=True,
        validate=validate.Length(min=1, max=50),
        metadata={"help": "Words or phrases; matched as whole words, ignoring case and accents."},
    )
    match = fields.String(load_default="any", validate=validate.OneOf(["any", "all"]))
    owner = fields.Email(load_default=None, allow_none=True, metadata={"help": "Agent email"})
    group = fields.List(fields.Email(), load_default=list, metadata={"help": "Agent emails, assigned in turn"})
    tag = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(TAGS))
    tag_value = fields.String(load_default=None, allow_none=True)
    priority = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(PRIORITIES))

    @validates_schema
    def _one_target(self, data: dict[str, Any], **kwargs: Any) -> None:
        if bool(data.get("owner")) == bool(data.get("group")):
            raise SchemaError("Give either an owner or a group (not both).", "owner")


class ConfigSchema(Schema):
    rules = fields.List(
        fields.Nested(RuleSchema),
        load_default=list,
        metadata={
            "label": "Rules",
            "help": 'Checked in order; the first match wins. JSON list, e.g. '
            '[{"keywords": ["invoice", "refund"], "owner": "billing@acme.test"}]',
            "widget": "json",
        },
    )


class KeywordRouting(Snapin):
    title = "Keyword routing"
    description = "Routes new conversations to an agent or a group when their title or first message matches keywords."
    author = "snapdesk"
    compatibility = "snapdesk>=0.1,<1"
    config_schema = ConfigSchema

    def validate_config(self, config: dict[str, Any], context: Context | None = None) -> None:
        if context is None:
            return
        errors: dict[str, list[str]] = {}
        for index, rule in enumerate(config["rules"]):
            for email in [rule["owner"]] if rule["owner"] else rule["group"]:
                if context.users.find_by_email(email) is None:
                    errors.setdefault(f"rules.{index}", []).append(f"No agent with email {email} in this workspace.")
        if errors:
            raise ConfigError(errors)

    @hookimpl
    def snapdesk_route_conversation(
        self, context: Context, conversation: ConversationInfo, message: MessageInfo, contact: ContactInfo | None
    ) -> RoutingDecision | None:
        text = f"{conversation.title}\n{message.body}"
        for index, rule in enumerate(context.config["rules"], start=1):
            found = matched_keywords(text, rule["keywords"])
            if not found or (rule["match"] == "all" and len(found) < len(rule["keywords"])):
                continue
            owner = self._owner(context, rule, index)
            if owner is None:
                context.log.warning("rule %s matched but its agent no longer exists; skipped", index)
                continue
            label = rule["name"] or f"rule {index}"
            words = ", ".join(f"'{w}'" for w in found)
            tags = {rule["tag"]: rule["tag_value"]} if rule["tag"] else {}
            return RoutingDecision(
                owner_id=owner, reason=f"{label} matched {words}", tags=tags, priority=rule["priority"]
            )
        return None

    @staticmethod
    def _owner(context: Context, rule: dict[str, Any], index: int) -> int | None:
        if rule["owner"]:
            user = context.users.find_by_email(rule["owner"])
            return user.id if user else None
        members = [u for u in (context.users.find_by_email(e) for e in rule["group"]) if u is not None]
        if not members:
            return None
        # Round robin across the group, remembered per workspace in the snap-in's store.
        turn = context.store.incr("round_robin", f"rule-{index}") - 1
        return members[turn % len(members)].id

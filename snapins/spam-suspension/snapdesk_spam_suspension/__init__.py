"""Spam suspension: a new conversation judged spam goes to Suspended, with the reason.

The judgement is a naive Bayes model (see :mod:`.classifier`) shipped with the snap-in, layered
with what each workspace teaches it: an agent marking a suspended conversation "not spam"
(Suspended -> New) or confirming it (Suspended -> Archived) trains the workspace's layer. Block
and allow lists (emails, domains) are checked first. False positives cost most (a real customer
suspended), so the default threshold is high and verified contacts are not checked by default.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from marshmallow import Schema, fields, validate

from hooks import ConfigError, Context, Snapin, SpamVerdict, hookimpl
from hooks.types import ContactInfo, ConversationInfo, MessageInfo, StageChangeInfo
from snapdesk_spam_suspension.classifier import DEFAULT_THRESHOLD, Message, SpamModel, describe_feature, load_base_model

MODEL_COLLECTION = "model"
LEARNED_KEY = "learned"


@lru_cache(maxsize=1)
def base_model() -> SpamModel:
    """The shipped model, loaded once per process (read-only; workspaces layer over it)."""
    return load_base_model()


class ConfigSchema(Schema):
    threshold = fields.Float(
        load_default=DEFAULT_THRESHOLD,
        validate=validate.Range(min=0.5, max=0.999),
        metadata={"label": "Spam threshold", "help": "Suspend when the spam probability is at least this (0.5-0.999)."},
    )
    check_verified_contacts = fields.Boolean(
        load_default=False, metadata={"label": "Also check verified contacts"}
    )
    learn = fields.Boolean(load_default=True, metadata={"label": "Learn from agents' spam / not-spam decisions"})
    block_emails = fields.List(fields.Email(), load_default=list, metadata={"label": "Always spam: emails", "widget": "json"})
    block_domains = fields.List(fields.String(), load_default=list, metadata={"label": "Always spam: domains", "widget": "json"})
    allow_emails = fields.List(fields.Email(), load_default=list, metadata={"label": "Never spam: emails", "widget": "json"})
    allow_domains = fields.List(fields.String(), load_default=list, metadata={"label": "Never spam: domains", "widget": "json"})


def _domain(email: str | None) -> str:
    return email.rsplit("@", 1)[-1].lower() if email and "@" in email else ""


class SpamSuspension(Snapin):
    title = "Spam suspension"
    description = "Suspends new conversations that look like spam; learns from agents' 'not spam' and 'confirm spam' decisions."
    author = "snapdesk"
    compatibility = "snapdesk>=0.1,<1"
    config_schema = ConfigSchema

    def validate_config(self, config: dict[str, Any]) -> None:
        lists = {
            "emails": {e.lower() for e in config["block_emails"]} & {e.lower() for e in config["allow_emails"]},
            "domains": {d.lower() for d in config["block_domains"]} & {d.lower() for d in config["allow_domains"]},
        }
        errors = {f"allow_{kind}": f"Listed as both blocked and allowed: {', '.join(sorted(both))}." for kind, both in lists.items() if both}
        if errors:
            raise ConfigError(errors)

    # -- the verdict ------------------------------------------------------------------------------

    @hookimpl
    def snapdesk_spam_verdict(
        self, context: Context, conversation: ConversationInfo, message: MessageInfo, contact: ContactInfo | None
    ) -> SpamVerdict | None:
        config = context.config
        email = (contact.email or "").lower() if contact else ""
        domain = _domain(email)
        if email and (email in {e.lower() for e in config["allow_emails"]} or domain in {d.lower() for d in config["allow_domains"]}):
            return SpamVerdict(is_spam=False, score=0.0, reason="sender is on the allow list")
        if email and (email in {e.lower() for e in config["block_emails"]} or domain in {d.lower() for d in config["block_domains"]}):
            return SpamVerdict(is_spam=True, score=1.0, reason=f"sender {email} is on the block list")
        if contact is not None and contact.verified and not config["check_verified_contacts"]:
            return None
        model = self.workspace_model(context)
        sample = self.sample(conversation, message, contact)
        score = model.score(sample)
        if score < config["threshold"]:
            return SpamVerdict(is_spam=False, score=score, reason=f"spam score {score:.2f} below {config['threshold']:.2f}")
        signals = ", ".join(describe_feature(f) for f in model.explain(sample, top=4))
        return SpamVerdict(
            is_spam=True, score=score, reason=f"spam score {score:.2f} ≥ {config['threshold']:.2f}: {signals}"
        )

    # -- learning from agents -------------------------------------------------------------------

    @hookimpl
    def snapdesk_stage_changed(self, context: Context, conversation: ConversationInfo, change: StageChangeInfo) -> None:
        if not context.config["learn"] or change.from_stage != "suspended" or change.by_kind == "snapin":
            return
        if change.to_stage == "new":
            is_spam = False  # an agent judged it valid
        elif change.to_stage == "archived":
            is_spam = True  # an agent confirmed spam
        else:
            return
        messages = context.conversations.messages(conversation.id)
        first = next((m for m in messages if m.author_kind == "rev"), None)
        if first is None:
            return
        contact = context.contacts.get(conversation.contact_id) if conversation.contact_id else None
        learned = self.learned_layer(context)
        learned.learn(self.sample(conversation, first, contact), is_spam)
        learned.prune()
        context.store.put(MODEL_COLLECTION, LEARNED_KEY, learned.to_dict())
        context.log.info("learned one %s example from conversation %s", "spam" if is_spam else "ham", conversation.id)

    # -- helpers -------------------------------------------------------------------------------

    @staticmethod
    def sample(conversation: ConversationInfo, message: MessageInfo, contact: ContactInfo | None) -> Message:
        return Message(
            text=message.body,
            subject=conversation.title,
            sender_email=contact.email if contact else None,
            sender_known=bool(contact and contact.verified),
        )

    @staticmethod
    def learned_layer(context: Context) -> SpamModel:
        stored = context.store.get(MODEL_COLLECTION, LEARNED_KEY)
        base = base_model()
        if stored:
            try:
                return SpamModel.from_dict(stored, base=base)
            except ValueError:
                context.log.warning("stored model is malformed; starting a fresh layer")
        return SpamModel.combine(base, SpamModel())

    def workspace_model(self, context: Context) -> SpamModel:
        return self.learned_layer(context)

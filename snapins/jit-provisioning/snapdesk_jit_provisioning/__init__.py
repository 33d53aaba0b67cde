"""JIT provisioning: at sign-in (OTP, JWT, later SAML) an unknown email gets a contact and access.

The contact joins the account whose email domain matches (when ``match_account_by_domain``),
else the configured default account, else no account. Without this snap-in, only verified
contacts can sign in.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from hooks import ConfigError, Context, NotFoundError, ProvisionDecision, Snapin, hookimpl

METHODS = ("otp", "jwt", "saml")


class ConfigSchema(Schema):
    methods = fields.List(
        fields.String(validate=validate.OneOf(METHODS)),
        load_default=lambda: list(METHODS),
        validate=validate.Length(min=1),
        metadata={"label": "Sign-in methods", "help": "Which sign-in methods may create contacts.", "widget": "json"},
    )
    match_account_by_domain = fields.Boolean(
        load_default=True, metadata={"label": "Link to the account of the email's domain"}
    )
    default_account_id = fields.Integer(
        load_default=None, allow_none=True,
        metadata={"label": "Default account id", "help": "Account for emails whose domain matches none (empty: no account)."},
    )
    allowed_domains = fields.List(
        fields.String(), load_default=list,
        metadata={"label": "Allowed email domains", "help": "Empty: any domain. JSON list, e.g. [\"globex.test\"]", "widget": "json"},
    )
    verify = fields.Boolean(load_default=True, metadata={"label": "Mark provisioned contacts verified"})


class JitProvisioning(Snapin):
    title = "JIT provisioning"
    description = "Creates a contact the first time an unknown email signs in, linked to the account of its email domain."
    author = "snapdesk"
    compatibility = "snapdesk>=0.1,<1"
    config_schema = ConfigSchema

    def validate_config(self, config: dict[str, Any], context: Context | None = None) -> None:
        account_id = config.get("default_account_id")
        if context is not None and account_id is not None:
            try:
                context.contacts.get_account(account_id)
            except NotFoundError:
                raise ConfigError({"default_account_id": f"No account {account_id} in this workspace."}) from None

    @hookimpl
    def snapdesk_provision_identity(
        self, context: Context, email: str, name: str | None, method: str, claims: dict
    ) -> ProvisionDecision | None:
        config = context.config
        if method not in config["methods"]:
            return None
        domain = email.rsplit("@", 1)[-1].lower()
        allowed = [d.lower().lstrip("@") for d in config["allowed_domains"]]
        if allowed and domain not in allowed:
            return ProvisionDecision(allow=False, reason=f"Sign-in is open to {', '.join(allowed)} addresses only.")
        account = context.contacts.account_for_email(email) if config["match_account_by_domain"] else None
        account_id = account.id if account is not None else config["default_account_id"]
        return ProvisionDecision(
            allow=True,
            name=name or claims.get("name") or email.split("@")[0],
            account_id=account_id,
            verified=config["verify"],
            reason=f"provisioned at {method} sign-in" + (f" into {account.name}" if account else ""),
        )

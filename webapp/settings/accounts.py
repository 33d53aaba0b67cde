"""Settings > Accounts & contacts: customer organisations and the people who write in.

``GET       /settings/<slug>/accounts``                              both lists (search, filters) and "new" forms
``POST      /settings/<slug>/accounts/new``                          create an account
``GET/POST  /settings/<slug>/accounts/<id>``                         edit an account (name, email domains, default owner)
``POST      /settings/<slug>/accounts/<id>/delete``
``POST      /settings/<slug>/accounts/contacts/new``                 create a contact
``GET/POST  /settings/<slug>/accounts/contacts/<id>``                edit a contact (name, account, verified, customer admin, locale)
``POST      /settings/<slug>/accounts/contacts/<id>/flags``          quick actions: verify / unverify / make_admin / remove_admin
``POST      /settings/<slug>/accounts/contacts/<id>/delete``

Everything goes through :mod:`core.people`; its field errors show beside the inputs, which keep
what the admin typed (422).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from sqlalchemy import or_, select
from werkzeug.wrappers import Response

from core import people
from core.articles import normalize_locale
from core.db import commit, db, get_scoped
from core.errors import Conflict, NotFound, ValidationError
from core.models import Account, Contact, Workspace
from webapp.auth import login_required
from webapp.settings.blueprint import blueprint

Errors = dict[str, list[str]]
#: Longest list a page shows (narrow with the search).
LIST_LIMIT = 300
FLAG_ACTIONS = {
    "verify": ("verified", True, "is verified"),
    "unverify": ("verified", False, "is no longer verified"),
    "make_admin": ("is_customer_admin", True, "is now a customer admin of their account"),
    "remove_admin": ("is_customer_admin", False, "is no longer a customer admin"),
}


def _like(text: str) -> str:
    return "%" + text.replace("%", "").replace("_", "")[:200] + "%"


def _optional_int(raw: Any, key: str, errors: Errors) -> int | None:
    text = str(raw or "").strip()
    if not text:
        return None
    if not text.isdigit():
        errors[key] = ["Choose one from the list."]
        return None
    return int(text)


def _domains(raw: Any) -> list[str]:
    return [d for d in re.split(r"[\s,;]+", str(raw or "")) if d]


def _prefixed(prefix: str, fields: Mapping[str, list[str]]) -> Errors:
    return {f"{prefix}.{name}": list(messages) for name, messages in fields.items()}


# -- The page -----------------------------------------------------------------------------------


def _page(errors: Errors | None = None, typed: Mapping[str, Any] | None = None, status: int = 200) -> tuple[str, int]:
    workspace: Workspace = g.workspace
    filters = {name: str(request.args.get(name) or "").strip() for name in ("q", "account", "verified", "admin")}
    accounts_query = select(Account).where(Account.workspace_id == workspace.id)
    contacts_query = select(Contact).where(Contact.workspace_id == workspace.id)
    if filters["q"]:
        accounts_query = accounts_query.where(Account.name.ilike(_like(filters["q"])))
        contacts_query = contacts_query.where(
            or_(Contact.email.ilike(_like(filters["q"])), Contact.name.ilike(_like(filters["q"])))
        )
    if filters["account"] == "none":
        contacts_query = contacts_query.where(Contact.account_id.is_(None))
    elif filters["account"].isdigit():
        contacts_query = contacts_query.where(Contact.account_id == int(filters["account"]))
    if filters["verified"] in ("yes", "no"):
        contacts_query = contacts_query.where(Contact.verified.is_(filters["verified"] == "yes"))
    if filters["admin"] in ("yes", "no"):
        contacts_query = contacts_query.where(Contact.is_customer_admin.is_(filters["admin"] == "yes"))
    all_accounts = list(db.session.scalars(
        select(Account).where(Account.workspace_id == workspace.id).order_by(Account.name, Account.id)
    ))
    return render_template(
        "settings/accounts.html",
        active_section="accounts",
        filters=filters,
        accounts=list(db.session.scalars(accounts_query.order_by(Account.name, Account.id).limit(LIST_LIMIT))),
        contacts=list(db.session.scalars(contacts_query.order_by(Contact.email, Contact.id).limit(LIST_LIMIT))),
        all_accounts=all_accounts,
        users=people.list_users(workspace.id),
        errors=errors or {},
        failed_forms={key.split(".", 1)[0] for key in errors or {}},
        typed=typed or {},
    ), status


@blueprint.route("/accounts")
@login_required(role="admin")
def accounts(slug: str) -> tuple[str, int]:
    return _page()


def _back(anchor: str) -> Response:
    return redirect(url_for("settings.accounts", slug=g.workspace.slug) + f"#{anchor}")


# -- Accounts -----------------------------------------------------------------------------------


def _account_values(form: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    owner_id = _optional_int(form.get("account-default_owner_id"), "account.default_owner_id", errors)
    if owner_id is not None and not any(u.id == owner_id for u in people.list_users(g.workspace.id)):
        errors["account.default_owner_id"] = ["Choose an agent of this workspace."]
    values = {
        "name": str(form.get("account-name") or ""),
        "domains": _domains(form.get("account-domains")),
        "default_owner_id": owner_id,
    }
    return values, errors


@blueprint.route("/accounts/new", methods=["POST"])
@login_required(role="admin")
def account_create(slug: str) -> Response | tuple[str, int]:
    values, errors = _account_values(request.form)
    if not errors:
        try:
            account = people.create_account(g.workspace, **values)
        except ValidationError as exc:
            errors = _prefixed("account", exc.fields)
    if errors:
        db.session.rollback()
        return _page(errors, request.form, 422)
    commit()
    flash(f"The account {account.name} is created.", "success")
    return _back("accounts")


def _account_page(account: Account, errors: Errors, typed: Mapping[str, Any] | None, status: int = 200) -> tuple[str, int]:
    members = db.session.scalars(
        select(Contact).where(Contact.workspace_id == g.workspace.id, Contact.account_id == account.id).order_by(Contact.email)
    )
    return render_template(
        "settings/account_edit.html",
        active_section="accounts",
        account=account,
        members=list(members),
        users=people.list_users(g.workspace.id),
        errors=errors,
        typed=typed,
    ), status


@blueprint.route("/accounts/<int:account_id>", methods=["GET", "POST"])
@login_required(role="admin")
def account_edit(slug: str, account_id: int) -> Response | tuple[str, int]:
    account = get_scoped(Account, g.workspace.id, account_id)
    if request.method == "GET":
        return _account_page(account, {}, None)
    values, errors = _account_values(request.form)
    if not errors:
        try:
            people.update_account(g.workspace, account, **values)
        except ValidationError as exc:
            errors = _prefixed("account", exc.fields)
    if errors:
        db.session.rollback()
        return _account_page(get_scoped(Account, g.workspace.id, account_id), errors, request.form, 422)
    commit()
    flash(f"The account {account.name} is saved.", "success")
    return redirect(url_for("settings.account_edit", slug=g.workspace.slug, account_id=account.id))


@blueprint.route("/accounts/<int:account_id>/delete", methods=["POST"])
@login_required(role="admin")
def account_delete(slug: str, account_id: int) -> Response:
    account = get_scoped(Account, g.workspace.id, account_id)
    name = account.name
    people.delete_account(g.workspace, account)
    commit()
    flash(f"The account {name} is deleted; its contacts are kept without an account.", "success")
    return _back("accounts")


# -- Contacts -----------------------------------------------------------------------------------


def _contact_values(form: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    account_id = _optional_int(form.get("contact-account_id"), "contact.account_id", errors)
    if account_id is not None:
        try:
            get_scoped(Account, g.workspace.id, account_id)
        except NotFound:
            errors["contact.account_id"] = ["Choose an account of this workspace."]
    raw_locale = str(form.get("contact-locale") or "").strip()
    locale = normalize_locale(raw_locale) if raw_locale else None
    if raw_locale and locale is None:
        errors["contact.locale"] = ['Use a locale such as "en" or "pt-BR", or leave it empty.']
    values = {
        "name": str(form.get("contact-name") or ""),
        "account_id": account_id,
        "verified": form.get("contact-verified") is not None,
        "is_customer_admin": form.get("contact-is_customer_admin") is not None,
        "locale": locale,
    }
    return values, errors


def _admin_needs_account(contact: Contact) -> None:
    if contact.is_customer_admin and contact.account_id is None:
        raise ValidationError.field("is_customer_admin", "Link the contact to an account before making them its admin.")


@blueprint.route("/accounts/contacts/new", methods=["POST"])
@login_required(role="admin")
def contact_create(slug: str) -> Response | tuple[str, int]:
    values, errors = _contact_values(request.form)
    if not errors:
        try:
            contact = people.create_contact(g.workspace, email=str(request.form.get("contact-email") or ""), **values)
            _admin_needs_account(contact)
        except ValidationError as exc:
            errors = _prefixed("contact", exc.fields)
        except Conflict as exc:
            errors = {"contact.email": [str(exc)]}
    if errors:
        db.session.rollback()
        return _page(errors, request.form, 422)
    commit()
    flash(f"The contact {contact.email} is created.", "success")
    return _back("contacts")


def _contact_page(contact: Contact, errors: Errors, typed: Mapping[str, Any] | None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "settings/contact_edit.html",
        active_section="accounts",
        contact=contact,
        all_accounts=list(db.session.scalars(
            select(Account).where(Account.workspace_id == g.workspace.id).order_by(Account.name, Account.id)
        )),
        errors=errors,
        typed=typed,
    ), status


@blueprint.route("/accounts/contacts/<int:contact_id>", methods=["GET", "POST"])
@login_required(role="admin")
def contact_edit(slug: str, contact_id: int) -> Response | tuple[str, int]:
    contact = get_scoped(Contact, g.workspace.id, contact_id)
    if request.method == "GET":
        return _contact_page(contact, {}, None)
    values, errors = _contact_values(request.form)
    if not errors:
        try:
            # The account first: "customer admin" needs it.
            people.update_contact(g.workspace, contact, account_id=values["account_id"])
            people.update_contact(
                g.workspace, contact, name=values["name"], verified=values["verified"],
                is_customer_admin=values["is_customer_admin"], locale=values["locale"],
            )
        except ValidationError as exc:
            errors = _prefixed("contact", exc.fields)
    if errors:
        db.session.rollback()
        return _contact_page(get_scoped(Contact, g.workspace.id, contact_id), errors, request.form, 422)
    commit()
    flash(f"The contact {contact.email or contact.name} is saved.", "success")
    return redirect(url_for("settings.contact_edit", slug=g.workspace.slug, contact_id=contact.id))


@blueprint.route("/accounts/contacts/<int:contact_id>/flags", methods=["POST"])
@login_required(role="admin")
def contact_flags(slug: str, contact_id: int) -> Response:
    contact = get_scoped(Contact, g.workspace.id, contact_id)
    action = FLAG_ACTIONS.get(str(request.form.get("action") or ""))
    if action is None:
        flash("Unknown action.", "error")
        return _back("contacts")
    field, value, sentence = action
    try:
        people.update_contact(g.workspace, contact, **{field: value})
    except ValidationError as exc:
        db.session.rollback()
        flash(f"{contact.email}: {' '.join(m for ms in exc.fields.values() for m in ms) or exc.message}", "error")
        return _back("contacts")
    commit()
    flash(f"{contact.email or contact.name} {sentence}.", "success")
    return _back("contacts")


@blueprint.route("/accounts/contacts/<int:contact_id>/delete", methods=["POST"])
@login_required(role="admin")
def contact_delete(slug: str, contact_id: int) -> Response:
    contact = get_scoped(Contact, g.workspace.id, contact_id)
    label = contact.email or contact.name
    people.delete_contact(g.workspace, contact)
    commit()
    flash(f"The contact {label} is deleted.", "success")
    return _back("contacts")

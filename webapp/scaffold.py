"""``snapdesk new-snapin NAME``: write a snap-in directory whose own tests pass out of the box."""

from __future__ import annotations

import keyword
import re
from pathlib import Path

NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class ScaffoldError(ValueError):
    """A sentence for the person who typed the command."""


def names(snapin_id: str) -> dict[str, str]:
    if not NAME.match(snapin_id or ""):
        raise ScaffoldError(f"'{snapin_id}' is not a snap-in name: use lowercase words joined by dashes, e.g. 'auto-tagger'.")
    module = "snapdesk_" + snapin_id.replace("-", "_")
    if keyword.iskeyword(module):
        raise ScaffoldError(f"'{snapin_id}' gives an invalid module name.")
    cls = "".join(part.capitalize() for part in snapin_id.split("-"))
    title = " ".join(snapin_id.split("-")).capitalize()
    return {"id": snapin_id, "module": module, "cls": cls, "title": title, "dist": f"snapdesk-{snapin_id}"}


PYPROJECT = '''[build-system]
requires = ["setuptools>=68", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "{dist}"
version = "0.1.0"
description = "snapdesk snap-in: {title}."
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["snapdesk>=0.1,<1"]

[project.optional-dependencies]
test = ["pytest>=8"]

[project.entry-points."snapdesk.snapins"]
{id} = "{module}:{cls}"

[tool.setuptools.packages.find]
include = ["{module}*"]

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["."]
'''

MODULE = '''"""{title}: tags conversations whose first message mentions a configured word.

Replace this with what your snap-in does. Import only from ``hooks`` (the snap-in contract).
"""

from __future__ import annotations

from marshmallow import Schema, fields

from hooks import Context, Snapin, hookimpl
from hooks.types import ConversationInfo, MessageInfo


class ConfigSchema(Schema):
    word = fields.String(load_default="urgent", metadata={{"label": "Word", "help": "Tag conversations mentioning it."}})
    tag = fields.String(load_default="priority", metadata={{"label": "Tag to add"}})


class {cls}(Snapin):
    title = "{title}"
    description = "Tags new conversations whose first message mentions a word."
    author = "you"
    compatibility = "snapdesk>=0.1,<1"
    config_schema = ConfigSchema

    @hookimpl
    def snapdesk_conversation_created(
        self, context: Context, conversation: ConversationInfo, message: MessageInfo
    ) -> None:
        if context.config["word"].lower() in message.body.lower():
            context.conversations.set_tag(conversation.id, context.config["tag"])
            context.log.info("tagged conversation %s", conversation.id)
'''

TESTS = '''"""Tests of {title}, with the snapdesk test kit (fixtures from the snapdesk pytest plugin)."""

from hooks.testing import assert_valid_snapin
from {module} import {cls}


def test_contract():
    assert_valid_snapin({cls})


def test_tags_conversations_that_mention_the_word(make_app, enable_snapin, run_jobs):
    from core.conversations import start_conversation
    from core.db import commit
    from core.people import create_contact
    from core.workspaces import create_workspace

    make_app(snapins={{"{id}": {cls}}})
    workspace = create_workspace(slug="acme", name="Acme")
    contact = create_contact(workspace, email="jo@example.com", verified=True)
    commit()
    enable_snapin(workspace, "{id}", {{"word": "urgent"}})

    urgent = start_conversation(workspace, body="This is URGENT, the site is down", channel="widget", contact=contact)
    calm = start_conversation(workspace, body="A question about invoices", channel="widget", contact=contact)
    commit()
    run_jobs()

    assert [t.tag for t in urgent.tags] == ["priority"]
    assert calm.tags == []
'''

README = '''# {dist}

A snapdesk snap-in: {title}.

    pip install -e .            # installs it; `snapdesk snapins list` shows it
    snapdesk snapins enable {id} --workspace acme --config '{{"word": "urgent"}}'
    pip install -e '.[test]' && pytest

See snapdesk's "Writing a snap-in" guide (docs/writing-a-snapin.md) for the hooks and the context API.
'''


def scaffold(snapin_id: str, parent: Path) -> Path:
    """Create ``parent/<id>/`` and return it; refuses to overwrite an existing directory."""
    n = names(snapin_id)
    target = parent / snapin_id
    if target.exists():
        raise ScaffoldError(f"{target} already exists; choose another name or directory.")
    (target / n["module"]).mkdir(parents=True)
    (target / "tests").mkdir()
    (target / "pyproject.toml").write_text(PYPROJECT.format(**n), encoding="utf-8")
    (target / "README.md").write_text(README.format(**n), encoding="utf-8")
    (target / n["module"] / "__init__.py").write_text(MODULE.format(**n), encoding="utf-8")
    (target / "tests" / f"test_{n['module'][len('snapdesk_'):]}.py").write_text(TESTS.format(**n), encoding="utf-8")
    return target

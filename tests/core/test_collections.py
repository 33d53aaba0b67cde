"""Knowledge-base collections: rename, delete (articles kept, children moved up), tenancy."""

from __future__ import annotations

import pytest

from core.articles import create_article, create_collection, delete_collection, update_collection
from core.db import commit, db
from core.errors import NotFound, ValidationError
from core.models import Article, Collection
from core.workspaces import create_workspace


def test_rename_validates_and_changes_only_what_is_given(workspace):
    collection = create_collection(workspace, name="Billing", description="Invoices")
    update_collection(workspace, collection, name="  Payments ")
    assert (collection.name, collection.description) == ("Payments", "Invoices")
    with pytest.raises(ValidationError) as error:
        update_collection(workspace, collection, name="  ")
    assert "name" in error.value.fields


def test_delete_keeps_articles_and_moves_children_up(workspace):
    top = create_collection(workspace, name="Top")
    middle = create_collection(workspace, name="Middle", parent_id=top.id)
    child = create_collection(workspace, name="Child", parent_id=middle.id)
    article = create_article(workspace, title="Kept", body="<p>x</p>", collection_id=middle.id)
    commit()
    delete_collection(workspace, middle)
    commit()
    assert db.session.get(Collection, middle.id) is None
    assert db.session.get(Article, article.id).collection_id is None
    assert db.session.get(Collection, child.id).parent_id == top.id


def test_another_workspaces_collection_is_not_found(workspace):
    other = create_workspace(slug="other", name="Other")
    foreign = create_collection(other, name="Theirs")
    commit()
    with pytest.raises(NotFound):
        update_collection(workspace, foreign, name="Mine now")
    with pytest.raises(NotFound):
        delete_collection(workspace, foreign)
    assert db.session.get(Collection, foreign.id).name == "Theirs"

from core.models import User


def test_workspace_fixture_creates_admin_and_agent(workspace):
    from core.db import db
    from sqlalchemy import select

    emails = sorted(db.session.scalars(select(User.email).where(User.workspace_id == workspace.id)))
    assert emails == ["admin@acme.test", "agent@acme.test"]

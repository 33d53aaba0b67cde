import marshmallow
from hooks import Snapin

class Conf(Snapin):
    title = "Conf"
    description = "Has config."
    class config_schema(marshmallow.Schema):
        threshold = marshmallow.fields.Integer(load_default=5, validate=marshmallow.validate.Range(1, 10), metadata={"label": "Threshold", "help": "1 to 10"})
        api_key = marshmallow.fields.String(required=True, metadata={"secret": True})
        mode = marshmallow.fields.String(load_default="a", validate=marshmallow.validate.OneOf(["a", "b"]))
        on = marshmallow.fields.Boolean(load_default=False)
        rules = marshmallow.fields.List(marshmallow.fields.Dict(), load_default=list)

def test_smoke(make_app):
    from core.workspaces import create_workspace
    from core.db import commit
    app = make_app(snapins={"conf": Conf})
    create_workspace(slug="acme", name="Acme", admin_email="admin@acme.test", admin_password="admin-pass-1")
    commit()
    c = app.test_client()
    r = c.get("/settings/acme/snapins")
    print(r.status_code, r.headers.get("Location"))
    r = c.post("/inbox/acme/login", data={"email": "admin@acme.test", "password": "x"})
    print(r.status_code, r.get_data(as_text=True)[-900:])
    r = c.post("/inbox/acme/login", data={"email": "admin@acme.test", "password": "admin-pass-1", "next": "/settings/acme/snapins"})
    print(r.status_code, r.headers.get("Location"))
    r = c.get("/settings/acme/snapins")
    print(r.status_code, r.get_data(as_text=True))
    r = c.post("/settings/acme/snapins/conf", data={"action": "enable", "config-threshold": "42", "config-rules": "[1,"})
    print(r.status_code, r.get_data(as_text=True)[-3000:])

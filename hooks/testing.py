"""Contract check for a snap-in class: run it in a snap-in's own tests.

    from hooks.testing import assert_valid_snapin
    def test_contract():
        assert_valid_snapin(MySnapin)

It checks the manifest, that the config schema loads ``{}`` (every field has a default or is
required), that the defaults pass ``validate_config``, and that every hook method names a real
hook and takes only arguments that hook offers.
"""

from __future__ import annotations

import inspect

import marshmallow
from packaging.requirements import InvalidRequirement, Requirement

import hooks.specs
from hooks.manifest import ConfigError, Snapin


def snapin_problems(cls: type) -> list[str]:
    """Every contract problem of ``cls``, as sentences (empty: valid)."""
    problems: list[str] = []
    if not (inspect.isclass(cls) and issubclass(cls, Snapin)):
        return [f"{cls!r} must subclass hooks.Snapin"]
    for attribute in ("title", "description", "author"):
        if not getattr(cls, attribute, "").strip():
            problems.append(f"manifest attribute {attribute!r} is empty")
    try:
        requirement = Requirement(cls.compatibility)
        if requirement.name.lower() != "snapdesk" or not str(requirement.specifier):
            problems.append(f"compatibility {cls.compatibility!r} must be a version range of snapdesk")
    except InvalidRequirement:
        problems.append(f"compatibility {cls.compatibility!r} is not a requirement like 'snapdesk>=0.1,<1'")
    if cls.config_schema is not None:
        schema = cls.config_schema(unknown=marshmallow.RAISE)
        required = [name for name, field in schema.fields.items() if field.required]
        missing_default = [
            name for name, field in schema.fields.items()
            if not field.required and field.load_default is marshmallow.missing
        ]
        if missing_default:
            problems.append(f"config fields without load_default: {', '.join(missing_default)}")
        if not required:
            try:
                config = schema.load({})
                cls().validate_config(config)
            except (marshmallow.ValidationError, ConfigError) as exc:
                problems.append(f"the default config does not validate: {exc}")
    specs = {name: inspect.signature(func) for name, func in inspect.getmembers(hooks.specs, inspect.isfunction)}
    for name, method in inspect.getmembers(cls, inspect.isfunction):
        if not name.startswith("snapdesk_"):
            continue
        if not hasattr(method, "snapdesk_impl"):
            problems.append(f"{name} is not marked with @hookimpl")
        if name not in specs:
            problems.append(f"{name} is not a snapdesk hook")
            continue
        offered = set(specs[name].parameters)
        taken = [p for p in list(inspect.signature(method).parameters)[1:]]
        extra = [p for p in taken if p not in offered]
        if extra:
            problems.append(f"{name} takes {', '.join(extra)}, which the hook does not offer ({', '.join(sorted(offered))})")
    return problems


def assert_valid_snapin(cls: type) -> None:
    problems = snapin_problems(cls)
    assert not problems, "snap-in contract problems:\n- " + "\n- ".join(problems)

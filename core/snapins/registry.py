"""Discovery: entry points of group ``snapdesk.snapins`` -> one pluggy PluginManager per app.

A snap-in that fails to import, declares an incompatible snapdesk version, has a malformed
manifest, or implements a hook that does not exist is recorded as *broken* with the reason and
left out; the app starts anyway.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata

import pluggy
from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import Version

import hooks.specs
from core import __version__
from hooks import PROJECT, Snapin

log = logging.getLogger("snapdesk.snapins")

ENTRY_POINT_GROUP = "snapdesk.snapins"


@dataclass
class InstalledSnapin:
    """What the registry knows of one installed snap-in."""

    id: str
    title: str = ""
    description: str = ""
    author: str = ""
    version: str = "0"
    compatibility: str = ""
    distribution: str | None = None
    plugin: Snapin | None = None
    #: Names of the hooks it implements.
    hooks: list[str] = field(default_factory=list)
    #: Why it was left out; None when it loaded.
    broken_reason: str | None = None

    @property
    def broken(self) -> bool:
        return self.broken_reason is not None


class SnapinRegistry:
    """The installed snap-ins of one app and their PluginManager."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(PROJECT)
        self.pm.add_hookspecs(hooks.specs)
        self.installed: dict[str, InstalledSnapin] = {}

    # -- loading ---------------------------------------------------------------------------------

    def load_entry_points(self, only: Iterable[str] | None = None) -> None:
        """Load every snap-in of the entry-point group (or just the ids in ``only``)."""
        wanted = set(only) if only is not None else None
        for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
            if wanted is not None and entry_point.name not in wanted:
                continue
            dist = entry_point.dist
            dist_name = dist.metadata["Name"] if dist is not None else None
            dist_version = dist.version if dist is not None else None
            try:
                cls = entry_point.load()
            except Exception as exc:  # noqa: BLE001 - a broken snap-in must not stop the app
                self._broken(entry_point.name, f"import failed: {type(exc).__name__}: {exc}", dist_name, dist_version)
                continue
            self.add(entry_point.name, cls, version=dist_version, distribution=dist_name)

    def add(self, snapin_id: str, cls: object, *, version: str | None = None, distribution: str | None = None) -> InstalledSnapin:
        """Register one snap-in class under ``snapin_id`` (what entry-point loading does for each)."""
        if snapin_id in self.installed and not self.installed[snapin_id].broken:
            return self._broken(snapin_id, f"two snap-ins claim the id {snapin_id!r}", distribution, version)
        if not (inspect.isclass(cls) and issubclass(cls, Snapin)):
            return self._broken(snapin_id, "the entry point must name a subclass of hooks.Snapin", distribution, version)
        reason = _compatibility_problem(cls.compatibility)
        if reason:
            return self._broken(snapin_id, reason, distribution, version)
        if not cls.title:
            return self._broken(snapin_id, "the manifest has no title", distribution, version)
        cls.id = snapin_id
        cls.version = version or cls.version
        try:
            plugin = cls()
            self.pm.register(plugin, name=snapin_id)
        except Exception as exc:  # noqa: BLE001 - PluginValidationError, or a failing __init__
            return self._broken(snapin_id, f"could not register: {exc}", distribution, version)
        unknown = self._unknown_hooks(plugin)
        if unknown:
            self.pm.unregister(plugin)
            return self._broken(
                snapin_id, f"implements hooks that do not exist: {', '.join(unknown)}", distribution, version
            )
        entry = InstalledSnapin(
            id=snapin_id,
            title=cls.title,
            description=cls.description,
            author=cls.author,
            version=cls.version,
            compatibility=cls.compatibility,
            distribution=distribution,
            plugin=plugin,
            hooks=sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or []),
        )
        self.installed[snapin_id] = entry
        return entry

    def _unknown_hooks(self, plugin: object) -> list[str]:
        # pm.check_pending() raises for the whole manager; we want to blame one snap-in.
        names = []
        for caller in self.pm.get_hookcallers(plugin) or []:
            if caller.spec is None:
                names.append(caller.name)
        return sorted(names)

    def _broken(self, snapin_id: str, reason: str, distribution: str | None, version: str | None) -> InstalledSnapin:
        log.error("snap-in %s is broken and was skipped: %s", snapin_id, reason)
        entry = InstalledSnapin(id=snapin_id, distribution=distribution, version=version or "0", broken_reason=reason)
        if snapin_id not in self.installed or self.installed[snapin_id].broken:
            self.installed[snapin_id] = entry
        return entry

    # -- queries ---------------------------------------------------------------------------------

    def get(self, snapin_id: str) -> InstalledSnapin | None:
        return self.installed.get(snapin_id)

    def loaded(self) -> list[InstalledSnapin]:
        return [s for s in sorted(self.installed.values(), key=lambda s: s.id) if not s.broken]

    def implementations(self, hook_name: str) -> Mapping[str, pluggy.HookImpl]:
        """snap-in id -> its implementation of ``hook_name``."""
        caller = getattr(self.pm.hook, hook_name)
        return {impl.plugin_name: impl for impl in caller.get_hookimpls()}


def _compatibility_problem(spec: str) -> str | None:
    try:
        requirement = Requirement(spec)
    except InvalidRequirement:
        return f"compatibility {spec!r} is not a requirement like 'snapdesk>=0.1,<1'"
    if requirement.name.lower() != "snapdesk":
        return f"compatibility {spec!r} must name snapdesk"
    if not requirement.specifier.contains(Version(__version__), prereleases=True):
        return f"needs {spec}, but this is snapdesk {__version__}"
    return None

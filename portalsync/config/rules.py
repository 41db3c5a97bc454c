"""The semantic rules of config.md, across all files: uniqueness, references, setup rule."""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from portalsync.config.document import Document
from portalsync.config.problems import PathPart, Problem
from portalsync.model import Severity
from portalsync.names import name_key

Path = tuple[PathPart, ...]


class Item(NamedTuple):
    """One declared object (a PM, service, client or contact) and where it stands."""

    document: Document
    path: Path
    data: dict[str, Any]

    def at(self, *parts: PathPart) -> tuple[Document, Path]:
        return self.document, (*self.path, *parts)


class Rules:
    """Runs every rule over the merged declarations and collects the problems."""

    def __init__(self, documents: list[Document]) -> None:
        self.documents = documents
        self.problems: list[Problem] = []
        self.pms = list(_items(documents, "project_managers"))
        self.services = list(_items(documents, "services"))
        self.clients = list(_items(documents, "clients"))
        self.settings = [(doc, doc.data["settings"]) for doc in documents if "settings" in doc.data]

    def run(self) -> list[Problem]:
        self._unique_names()
        self._references()
        self._setup_rule()
        self._settings()
        return self.problems

    def report(
        self, where: tuple[Document, Path], message: str, severity: Severity = "error"
    ) -> None:
        document, path = where
        self.problems.append(document.problem(path, message, severity))

    def _unique_names(self) -> None:
        self._unique("project manager username", _names(self.pms, "username", ()))
        self._unique("service name", _names(self.services, "name", "previous_names"))
        self._unique("client name", _names(self.clients, "name", "previous_names"))
        contacts = [contact for client in self.clients for contact in _contacts(client)]
        self._unique("contact email", _names(contacts, "email", "previous_emails"))

    def _unique(self, label: str, names: Iterable[tuple[str, tuple[Document, Path]]]) -> None:
        seen: dict[str, tuple[str, tuple[Document, Path]]] = {}
        for name, where in names:
            key = name_key(name)
            if key in seen:
                first_name, (document, path) = seen[key]
                first = f"'{first_name}' at {document.place(path)}"
                self.report(where, f"duplicate {label} '{name}' (same as {first})")
            else:
                seen[key] = (name, where)

    def _references(self) -> None:
        pms = {name_key(pm.data["username"]): pm.data["username"] for pm in self.pms}
        services = Catalogue(self.services)
        for client in self.clients:
            for index, username in enumerate(client.data.get("project_managers", ())):
                if name_key(username) not in pms:
                    hint = _did_you_mean(username, pms.values())
                    message = f"undeclared project manager '{username}'{hint}"
                    self.report(client.at("project_managers", index), message)
            offered = self._client_services(client, services)
            for contact in _contacts(client):
                self._contact_services(client, contact, services, offered)
            self._listed_twice(client, "project_managers")
            self._listed_twice(client, "services")

    def _client_services(self, client: Item, services: Catalogue) -> set[str]:
        offered = set(services.for_all_clients)
        for index, name in enumerate(client.data.get("services", ())):
            problem = services.unknown(name)
            if problem:
                self.report(client.at("services", index), problem)
            offered.add(name_key(name))
        return offered

    def _contact_services(
        self, client: Item, contact: Item, services: Catalogue, offered: set[str]
    ) -> None:
        client_name = client.data["name"]
        for index, name in enumerate(contact.data.get("services", ())):
            problem = services.unknown(name)
            if problem is None and name_key(name) not in offered:
                problem = (
                    f"service '{name}' is not offered to client '{client_name}' (add it to the "
                    "client's services, or set all_clients: true on the service)"
                )
            if problem:
                self.report(contact.at("services", index), problem)
        self._listed_twice(contact, "services")

    def _listed_twice(self, item: Item, key: str) -> None:
        names = item.data.get(key, ())
        if len(names) < 2 or len({name_key(name) for name in names}) == len(names):
            return
        seen: set[str] = set()
        for index, name in enumerate(names):
            if name_key(name) in seen:
                self.report(item.at(key, index), f"'{name}' is listed twice", "warning")
            seen.add(name_key(name))

    def _setup_rule(self) -> None:
        rule = self.settings[0][1].get("setup_rule", {}) if self.settings else {}
        any_for_all = any(service.data.get("all_clients") for service in self.services)
        for client in self.clients:
            name = client.data["name"]
            missing = {
                "project_manager": not client.data.get("project_managers"),
                "contact": not client.data.get("contacts"),
                "service": not client.data.get("services") and not any_for_all,
            }
            for part, is_missing in missing.items():
                if is_missing:
                    message = (
                        f"client '{name}' has no {part.replace('_', ' ')} (memoQ's setup rule; "
                        f"settings.setup_rule.{part}: warning relaxes it)"
                    )
                    self.report(client.at(), message, rule.get(part, "error"))

    def _settings(self) -> None:
        if not self.settings:
            return
        first_document, settings = self.settings[0]
        for document, _ in self.settings[1:]:
            first = first_document.place(("settings",))
            self.report(
                (document, ("settings",)), f"settings may appear in one file only ({first})"
            )
        for index, pattern in enumerate(settings.get("ignore_clients", ())):
            matched = self._first_client_matching(pattern)
            if matched is not None:
                name, (document, path) = matched
                message = (
                    f"ignore_clients pattern '{pattern}' matches declared client '{name}' "
                    f"at {document.place(path)}"
                )
                self.report((first_document, ("settings", "ignore_clients", index)), message)

    def _first_client_matching(self, pattern: str) -> tuple[str, tuple[Document, Path]] | None:
        pattern_key = name_key(pattern)
        for name, where in _names(self.clients, "name", "previous_names"):
            if fnmatch.fnmatchcase(name_key(name), pattern_key):
                return name, where
        return None


class Catalogue:
    """The declared services, by comparison key, with their previous names."""

    def __init__(self, services: list[Item]) -> None:
        self.names = {name_key(s.data["name"]): s.data["name"] for s in services}
        self.previous = {
            name_key(previous): s.data["name"]
            for s in services
            for previous in s.data.get("previous_names", ())
        }
        self.for_all_clients = {
            name_key(s.data["name"]) for s in services if s.data.get("all_clients")
        }

    def unknown(self, name: str) -> str | None:
        """Why `name` is not a declared service, or None when it is."""
        key = name_key(name)
        if key in self.names:
            return None
        if key in self.previous:
            current = self.previous[key]
            return f"'{name}' is a previous name of service '{current}': use the current name"
        return f"undeclared service '{name}'{_did_you_mean(name, self.names.values())}"


def _items(documents: list[Document], section: str) -> Iterator[Item]:
    for document in documents:
        for index, data in enumerate(document.data.get(section, ())):
            yield Item(document, (section, index), data)


def _contacts(client: Item) -> Iterator[Item]:
    for index, data in enumerate(client.data.get("contacts", ())):
        yield Item(client.document, (*client.path, "contacts", index), data)


def _names(
    items: Iterable[Item], key: str, previous_key: str | tuple[()]
) -> Iterator[tuple[str, tuple[Document, Path]]]:
    for item in items:
        yield item.data[key], item.at(key)
        if previous_key:
            for index, previous in enumerate(item.data.get(previous_key, ())):
                yield previous, item.at(previous_key, index)


def _did_you_mean(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_rules(documents: list[Document]) -> list[Problem]:
    """Every semantic rule of config.md over schema-valid documents, in merge order."""
    return Rules(documents).run()

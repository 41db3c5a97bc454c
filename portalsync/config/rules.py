"""The semantic rules of config.md, across all files: uniqueness, references, setup rule.

A big portal holds about ten names per client, most of them repeats (the same usernames and
service names in every client). So each distinct string is keyed once per run (name_key costs
an NFC normalization and a casefold), the keys of a list are computed once and shared by every
rule on it, and the path of a value is only built when a problem is reported there.
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from portalsync.config.document import Document
from portalsync.config.problems import PathPart, Problem
from portalsync.model import Severity
from portalsync.names import name_key

Path = tuple[PathPart, ...]
KeyOf = Callable[[str], str]
First = tuple[str, "Item", Path]  # the first occurrence of a name: spelling, owner, path in it


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
        # An unbounded cache, but one per run: it dies with the Rules.
        self.key: KeyOf = functools.cache(name_key)
        self.pms = list(_items(documents, "project_managers"))
        self.services = list(_items(documents, "services"))
        self.clients = list(_items(documents, "clients"))
        self.contacts = [list(_contacts(client)) for client in self.clients]  # by client
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
        self._unique("project manager username", self.pms, "username", "")
        self._unique("service name", self.services, "name", "previous_names")
        self._unique("client name", self.clients, "name", "previous_names")
        contacts = [contact for contacts in self.contacts for contact in contacts]
        self._unique("contact email", contacts, "email", "previous_emails")

    def _unique(self, label: str, items: list[Item], key: str, previous_key: str) -> None:
        """The first of each name in merge order wins; later ones are reported."""
        key_of = self.key
        seen: dict[str, First] = {}
        own: Path = (key,)
        for item in items:
            name = item.data[key]
            name_key_ = key_of(name)
            if name_key_ in seen:
                self._duplicate(label, seen[name_key_], name, item, own)
            else:
                seen[name_key_] = (name, item, own)
            if previous_key:
                for index, previous in enumerate(item.data.get(previous_key, ())):
                    previous_key_ = key_of(previous)
                    if previous_key_ in seen:
                        self._duplicate(
                            label, seen[previous_key_], previous, item, (previous_key, index)
                        )
                    else:
                        seen[previous_key_] = (previous, item, (previous_key, index))

    def _duplicate(self, label: str, first: First, name: str, item: Item, parts: Path) -> None:
        first_name, first_item, first_parts = first
        place = first_item.document.place((*first_item.path, *first_parts))
        message = f"duplicate {label} '{name}' (same as '{first_name}' at {place})"
        self.report(item.at(*parts), message)

    def _references(self) -> None:
        pms = {self.key(pm.data["username"]): pm.data["username"] for pm in self.pms}
        services = Catalogue(self.services, self.key)
        for client, contacts in zip(self.clients, self.contacts, strict=True):
            self._client_pms(client, pms)
            offered = self._client_services(client, services)
            for contact in contacts:
                self._contact_services(client, contact, services, offered)

    def _client_pms(self, client: Item, pms: dict[str, str]) -> None:
        usernames = client.data.get("project_managers", ())
        keys = [self.key(username) for username in usernames]
        for index, key in enumerate(keys):
            if key not in pms:
                username = usernames[index]
                hint = _did_you_mean(username, pms.values())
                message = f"undeclared project manager '{username}'{hint}"
                self.report(client.at("project_managers", index), message)
        self._listed_twice(client, "project_managers", usernames, keys)

    def _client_services(self, client: Item, services: Catalogue) -> set[str]:
        names = client.data.get("services", ())
        keys = [self.key(name) for name in names]
        for index, key in enumerate(keys):
            if key not in services.names:
                self.report(client.at("services", index), services.unknown(names[index], key))
        self._listed_twice(client, "services", names, keys)
        return services.for_all_clients.union(keys)

    def _contact_services(
        self, client: Item, contact: Item, services: Catalogue, offered: set[str]
    ) -> None:
        names = contact.data.get("services", ())
        keys = [self.key(name) for name in names]
        for index, key in enumerate(keys):
            if key in offered and key in services.names:
                continue  # the common case, without building a message
            name = names[index]
            if key not in services.names:
                problem = services.unknown(name, key)
            else:
                problem = (
                    f"service '{name}' is not offered to client '{client.data['name']}' (add it "
                    "to the client's services, or set all_clients: true on the service)"
                )
            self.report(contact.at("services", index), problem)
        self._listed_twice(contact, "services", names, keys)

    def _listed_twice(self, item: Item, key: str, names: list[str], keys: list[str]) -> None:
        if len(set(keys)) == len(keys):
            return
        seen: set[str] = set()
        for index, name_key_ in enumerate(keys):
            if name_key_ in seen:
                self.report(item.at(key, index), f"'{names[index]}' is listed twice", "warning")
            seen.add(name_key_)

    def _setup_rule(self) -> None:
        rule = self.settings[0][1].get("setup_rule", {}) if self.settings else {}
        any_for_all = any(service.data.get("all_clients") for service in self.services)
        for client in self.clients:
            data = client.data
            if (
                data.get("project_managers")
                and data.get("contacts")
                and (data.get("services") or any_for_all)
            ):
                continue  # the common case: nothing missing
            missing = {
                "project_manager": not data.get("project_managers"),
                "contact": not data.get("contacts"),
                "service": not data.get("services") and not any_for_all,
            }
            for part, is_missing in missing.items():
                if is_missing:
                    message = (
                        f"client '{data['name']}' has no {part.replace('_', ' ')} (memoQ's setup "
                        f"rule; settings.setup_rule.{part}: warning relaxes it)"
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
        pattern_key = self.key(pattern)
        for name, where in _names(self.clients, "name", "previous_names"):
            if fnmatch.fnmatchcase(self.key(name), pattern_key):
                return name, where
        return None


class Catalogue:
    """The declared services, by comparison key, with their previous names."""

    def __init__(self, services: list[Item], key_of: KeyOf) -> None:
        self.names = {key_of(s.data["name"]): s.data["name"] for s in services}
        self.previous = {
            key_of(previous): s.data["name"]
            for s in services
            for previous in s.data.get("previous_names", ())
        }
        self.for_all_clients = {
            key_of(s.data["name"]) for s in services if s.data.get("all_clients")
        }

    def unknown(self, name: str, key: str) -> str:
        """Why `name`, whose comparison key `key` is not in `names`, is no declared service."""
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

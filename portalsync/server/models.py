"""Request and response bodies. Requests forbid unknown fields; responses document the shape.

Responses are built as plain dicts (a page of 1,000 clients would spend most of its time in
per-item validation otherwise); these models give the OpenAPI document its schemas.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

WorkflowName = Literal["Quote", "ManualProject", "AutomaticProject"]
RoleName = Literal["Requester", "Observer", "Manager"]
StatusName = Literal["Pending", "Active", "Deleted"]


def _storable(text: str) -> str:
    if "\x00" in text:
        raise ValueError("must not contain NUL")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode (no lone surrogates)") from None
    return text


def _name(text: str) -> str:
    _storable(text)
    if not text.strip():
        raise ValueError("must not be blank")
    if any(unicodedata.category(char) == "Cc" for char in text):
        raise ValueError("must not contain control characters")
    return text


# The same shape the config schema demands, so whatever the server holds exports to valid YAML.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


def _email(text: str) -> str:
    _name(text)
    if not _EMAIL.match(text):
        raise ValueError("must be an email address")
    return text


# Limits match the config schema's (portalsync.schema.json): a portal the server accepts can
# always be exported to a config that validates.
NameText = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_name)]
Text = Annotated[str, Field(max_length=2000), AfterValidator(_storable)]
EmailText = Annotated[str, Field(min_length=3, max_length=254), AfterValidator(_email)]
OptionalEmail = Annotated[str, Field(max_length=320), AfterValidator(_storable)]
PasswordText = Annotated[str, Field(min_length=1, max_length=1024), AfterValidator(_storable)]
Guid = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_storable)]
Plain = Annotated[str, Field(max_length=1024), AfterValidator(_storable)]
GuidList = Annotated[list[Guid], Field(max_length=10_000)]


class RequestBody(BaseModel):
    """A write body: strict JSON types (`"yes"` is no boolean), no unknown or read-only fields."""

    model_config = ConfigDict(extra="forbid", strict=True)
    # Fields of the object that the server owns: sent back, they are named "read-only field".
    read_only: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _no_read_only_fields(cls, data: Any) -> Any:
        owned = sorted(cls.read_only.intersection(data)) if isinstance(data, dict) else []
        if owned:
            raise PydanticCustomError(
                "read_only_field", "{field}: read-only field", {"field": owned[0]}
            )
        return data


class ResponseBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


T = TypeVar("T")


class Page(ResponseBody, Generic[T]):
    Items: list[T]
    Next: str | None


class ErrorBody(ResponseBody):
    Code: str
    Message: str


class Health(ResponseBody):
    Status: str


class Login(RequestBody):
    UserName: Plain
    Password: Plain


class LoginResult(ResponseBody):
    Name: str
    UserGuid: str
    AccessToken: str


_USER_READ_ONLY = frozenset({"UserGuid", "Version"})


class UserCreate(RequestBody):
    read_only = _USER_READ_ONLY

    UserName: NameText
    FullName: Text = ""
    EmailAddress: OptionalEmail = ""
    IsDisabled: bool = False
    Password: PasswordText | None = None


class UserUpdate(RequestBody):
    """Fields left out keep their value; `UserName` may be sent but not changed."""

    read_only = _USER_READ_ONLY

    UserName: NameText | None = None
    FullName: Text | None = None
    EmailAddress: OptionalEmail | None = None
    IsDisabled: bool | None = None
    Password: PasswordText | None = None


class User(ResponseBody):
    UserGuid: str
    UserName: str
    FullName: str
    EmailAddress: str
    IsDisabled: bool
    Version: int


class Group(ResponseBody):
    GroupGuid: str
    Name: str
    Version: int


class UserGuids(RequestBody):
    UserGuids: GuidList


class ServiceGuids(RequestBody):
    ServiceGuids: GuidList


class ProjectTemplate(ResponseBody):
    TemplateGuid: str
    Name: str
    SourceLanguage: str
    TargetLanguages: list[str]


_SERVICE_READ_ONLY = frozenset({"ServiceGuid", "SourceLanguage", "TargetLanguages", "Version"})


class ServiceCreate(RequestBody):
    read_only = _SERVICE_READ_ONLY

    Name: NameText
    Description: Text = ""
    TemplateGuid: Guid
    Workflow: WorkflowName
    AllClients: bool = False


class ServiceUpdate(RequestBody):
    read_only = _SERVICE_READ_ONLY

    Name: NameText | None = None
    Description: Text | None = None
    TemplateGuid: Guid | None = None
    Workflow: WorkflowName | None = None
    AllClients: bool | None = None


class Service(ResponseBody):
    ServiceGuid: str
    Name: str
    Description: str
    TemplateGuid: str
    Workflow: WorkflowName
    AllClients: bool
    SourceLanguage: str
    TargetLanguages: list[str]
    Version: int


_CLIENT_READ_ONLY = frozenset({"ClientGuid", "ProjectManagers", "Services", "Version"})


class ClientCreate(RequestBody):
    read_only = _CLIENT_READ_ONLY

    Name: NameText
    Description: Text = ""


class ClientUpdate(RequestBody):
    read_only = _CLIENT_READ_ONLY

    Name: NameText | None = None
    Description: Text | None = None


class Client(ResponseBody):
    ClientGuid: str
    Name: str
    Description: str
    ProjectManagers: list[str]
    Services: list[str]
    Version: int


_CONTACT_READ_ONLY = frozenset({"ContactGuid", "ClientGuid", "Status", "Version"})


class ContactCreate(RequestBody):
    read_only = _CONTACT_READ_ONLY

    FullName: NameText
    EmailAddress: EmailText
    Role: RoleName = "Requester"
    Services: GuidList = []


class ContactUpdate(RequestBody):
    read_only = _CONTACT_READ_ONLY

    FullName: NameText | None = None
    EmailAddress: EmailText | None = None
    Role: RoleName | None = None
    Services: GuidList | None = None


class Contact(ResponseBody):
    ContactGuid: str
    ClientGuid: str
    FullName: str
    EmailAddress: str
    Role: RoleName
    Services: list[str]
    Status: StatusName
    Version: int


class WorkRequest(RequestBody):
    ContactEmail: Plain
    ServiceGuid: Guid
    Name: NameText


class Project(ResponseBody):
    ProjectGuid: str
    Name: str
    ClientGuid: str
    ClientName: str
    ServiceGuid: str
    CreatedAt: str

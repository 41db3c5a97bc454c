"""Request and response bodies. Requests forbid unknown fields; responses document the shape.

Responses are built as plain dicts (a page of 1,000 clients would spend most of its time in
per-item validation otherwise); these models give the OpenAPI document its schemas.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

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


def _email(text: str) -> str:
    _name(text)
    local, at, domain = text.strip().rpartition("@")
    if not (at and local and domain) or any(char.isspace() for char in text.strip()):
        raise ValueError("must be an email address")
    return text


NameText = Annotated[str, Field(min_length=1, max_length=400), AfterValidator(_name)]
Text = Annotated[str, Field(max_length=10_000), AfterValidator(_storable)]
EmailText = Annotated[str, Field(min_length=3, max_length=320), AfterValidator(_email)]
OptionalEmail = Annotated[str, Field(max_length=320), AfterValidator(_storable)]
PasswordText = Annotated[str, Field(min_length=1, max_length=1024), AfterValidator(_storable)]
Guid = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_storable)]
Plain = Annotated[str, Field(max_length=1024), AfterValidator(_storable)]
GuidList = Annotated[list[Guid], Field(max_length=10_000)]


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


class UserCreate(RequestBody):
    UserName: NameText
    FullName: Text = ""
    EmailAddress: OptionalEmail = ""
    IsDisabled: bool = False
    Password: PasswordText | None = None


class UserUpdate(RequestBody):
    """Fields left out keep their value; `UserName` may be sent but not changed."""

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


class ServiceCreate(RequestBody):
    Name: NameText
    Description: Text = ""
    TemplateGuid: Guid
    Workflow: WorkflowName
    AllClients: bool = False


class ServiceUpdate(RequestBody):
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


class ClientCreate(RequestBody):
    Name: NameText
    Description: Text = ""


class ClientUpdate(RequestBody):
    Name: NameText | None = None
    Description: Text | None = None


class Client(ResponseBody):
    ClientGuid: str
    Name: str
    Description: str
    ProjectManagers: list[str]
    Services: list[str]
    Version: int


class ContactCreate(RequestBody):
    FullName: Text = ""
    EmailAddress: EmailText
    Role: RoleName = "Requester"
    Services: GuidList = []


class ContactUpdate(RequestBody):
    FullName: Text | None = None
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

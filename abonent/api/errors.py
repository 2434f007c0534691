"""How the API answers errors a caller can cause: 422 with a message a person reads, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from abonent.core.services import AbonentError


class InputInvalid(Exception):
    """The request asks for something the rules refuse; `problems` are (field or None, message) pairs."""

    def __init__(self, problems: list[tuple[str | None, str]]) -> None:
        self.problems = problems
        super().__init__(problems)

    @classmethod
    def from_form(cls, form: forms.Form) -> InputInvalid:
        order = [*form.fields, "__all__"]
        problems = [
            (None if name == "__all__" else name, str(message))
            for name in sorted(form.errors, key=lambda n: order.index(n) if n in order else len(order))
            for message in form.errors[name]
        ]
        return cls(problems)


def cleaned(form: forms.Form) -> dict:
    """The form's cleaned data, or InputInvalid naming each refused field."""
    if not form.is_valid():
        raise InputInvalid.from_form(form)
    return form.cleaned_data


@contextmanager
def refused_on(field: str | None) -> Iterator[None]:
    """Answer a service's refusal (AbonentError) as a 422 about `field`."""
    try:
        yield
    except AbonentError as error:
        raise InputInvalid([(field, str(error))]) from error


def unprocessable(api: NinjaAPI, request: HttpRequest, problems: list[tuple[str | None, str]]) -> HttpResponse:
    field, detail = problems[0]
    return api.create_response(request, {
        "detail": detail, "field": field, "errors": [{"field": f, "detail": d} for f, d in problems],
    }, status=422)


# The names the endpoints give their schema parameters (a JSON body, a group of query parameters): ninja puts
# them in an error's location, where a caller, who never sees them, would not look for them.
SCHEMA_PARAMETERS = frozenset({"payload", "filters"})


def _validation_field(loc: list) -> str | None:
    # ninja's locations: ("query", "limit"), ("query", "filters", "stage", 0), ("body", "payload", "country").
    rest = list(loc[1:])
    if rest and rest[0] in SCHEMA_PARAMETERS:
        rest = rest[1:]
    return ".".join(str(part) for part in rest) or None


def install(api: NinjaAPI) -> None:
    """Answer invalid input, service refusals and malformed requests alike: {"detail", "field", "errors"}."""

    @api.exception_handler(InputInvalid)
    def input_invalid(request: HttpRequest, exc: InputInvalid) -> HttpResponse:
        return unprocessable(api, request, exc.problems)

    @api.exception_handler(AbonentError)
    def refused(request: HttpRequest, exc: AbonentError) -> HttpResponse:
        return unprocessable(api, request, [(None, str(exc))])

    @api.exception_handler(ValidationError)
    def malformed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        problems = []
        for error in exc.errors:
            field = _validation_field(error.get("loc", []))
            message = error.get("msg") or _("This value is not valid.")
            problems.append((field, f"{field}: {message}" if field else message))
        return unprocessable(api, request, problems or [(None, _("The request is not valid."))])

"""The pages of a list, for a module's views to call after their access check.

A module routes seven names in its namespace to thin views that call these: `list`, `export`
(with the format), `report`, `columns`, `view_save`, `view_delete` and `view_pin`. See docs/lists.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abonent.core.grid.declaration import (
    Choice,
    Column,
    DateRange,
    Filter,
    ListSpec,
    NumberRange,
    RowAction,
    Search,
    Values,
)
from abonent.core.grid.export import export_response
from abonent.core.grid.query import Page, export_queryset, list_page
from abonent.core.grid.selectors import saved_view_get, saved_view_list
from abonent.core.grid.services import list_layout_reset, list_layout_save, saved_view_delete, saved_view_save
from abonent.core.grid.state import COUNT, ListState, list_state
from abonent.core.models import SavedView
from abonent.core.permissions import has_access
from abonent.core.roles import Access
from abonent.core.services import AbonentError, audit_record, favourite_toggle

CHECKBOX_LIMIT = 8  # a choice filter with more options is a list box instead of checkboxes


def _url(spec: ListSpec, name: str, *args: Any) -> str:
    return reverse(f"{spec.url_namespace}:{name}", args=args)


def _cell(text: str, url: str) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>' if url else str(escape(text))


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


def _action_cell(action: RowAction, row: Any, token: str, back: str) -> str:
    url = action.url(row)
    if not url:
        return '<td class="grid-row-action"></td>'
    title = f' title="{escape(action.title(row))}"' if action.title else ""
    return (f'<td class="grid-row-action"><form method="post" action="{escape(url)}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
            f'<input type="hidden" name="back" value="{escape(back)}">'
            f'<button class="btn btn-sm btn-outline-success"{title}>{escape(action.label)}</button></form></td>')


# --- what the templates show -----------------------------------------------------------------------


@dataclass
class Control:
    """One filter in the filter bar."""

    filter: Filter
    kind: str  # search, checks, select, dates, numbers
    fields: list[Any]  # bound form fields
    options: list[tuple[str, str, bool]] = field(default_factory=list)  # (value, label, chosen)
    summary: str = ""
    errors: list[str] = field(default_factory=list)
    active: bool = False


@dataclass
class Chip:
    label: str
    text: str
    remove_query: str


@dataclass
class Header:
    column: Column
    sorted: str  # "ascending", "descending" or ""
    query: str | None  # the link that sorts by this column (None: not sortable)


@dataclass
class ViewLink:
    view: SavedView
    url: str
    own: bool
    pinned: bool
    current: bool
    pin_url: str
    delete_url: str


def _controls(state: ListState) -> list[Control]:
    form = state.form
    controls = []
    for declared in state.spec.filters:
        bound = [form[p] for p in declared.params]
        errors = [str(e) for b in bound for e in b.errors]
        if isinstance(declared, Values):
            # No menu: the group tree sets it; kept as hidden fields so that filtering again keeps it.
            picked = state.raw_filters.get(declared.key, [])
            controls.append(Control(declared, "hidden", bound, options=[(v, v, True) for v in picked],
                                    errors=errors, active=bool(picked)))
        elif isinstance(declared, Search):
            controls.append(Control(declared, "search", bound, errors=errors))
        elif isinstance(declared, Choice):
            chosen = set(state.raw_filters.get(declared.key, []))
            options = [(value, label, value in chosen) for value, label in state.choices[declared.key]]
            summary = ", ".join(label for _value, label, on in options if on) or _("any")
            kind = "checks" if len(options) <= CHECKBOX_LIMIT else "select"
            controls.append(Control(declared, kind, bound, options=options, summary=summary, errors=errors,
                                    active=bool(chosen)))
        elif isinstance(declared, DateRange):
            controls.append(Control(declared, "dates", bound, errors=errors))
        elif isinstance(declared, NumberRange):
            controls.append(Control(declared, "numbers", bound, errors=errors))
    return controls


def _chips(state: ListState) -> list[Chip]:
    return [
        Chip(str(f.label), f.describe(state.data, state.choices.get(f.key, [])),
             state.query(filters={p: [] for p in f.params}))
        for f in state.spec.filters if f.is_active(state.data)
    ]


def _headers(state: ListState) -> list[Header]:
    headers = []
    for column in state.columns:
        if not column.sortable:
            headers.append(Header(column, "", None))
            continue
        current = state.sort.lstrip("-") == column.key
        direction = ("descending" if state.descending else "ascending") if current else ""
        toggled = column.key if not current or state.descending else f"-{column.key}"
        headers.append(Header(column, direction, state.query(sort=toggled)))
    return headers


def _count_text(state: ListState, page: Page) -> str:
    if page.count_more:
        return _("More than %(count)s") % {"count": state.spec.describe_count(page.count)}
    return state.spec.describe_count(page.count)


def grid_context(request: HttpRequest, spec: ListSpec, state: ListState, *, here: str) -> dict[str, Any]:
    """Everything the list's templates show, computed here so that rendering runs no query."""
    page = list_page(state) if state.valid else None
    list_url = _url(spec, "list")
    pinned_urls = set(request.user.favourites.values_list("url", flat=True))
    views = [
        ViewLink(view=v, url=_with_query(list_url, f"view={v.pk}"), own=v.owner_id == request.user.pk,
                 pinned=_with_query(list_url, f"view={v.pk}") in pinned_urls, current=v == state.view,
                 pin_url=_url(spec, "view_pin", v.pk), delete_url=_url(spec, "view_delete", v.pk))
        for v in saved_view_list(user=request.user, list_key=spec.key)
    ]
    group_filters = {key: [] for key in state.group}
    visible = [c.key for c in state.columns]
    editor = [(c, True) for c in state.columns] + [(c, False) for c in spec.columns if c.key not in visible]
    query = state.query()
    cells = [(c.formatter(), f' class="{escape(c.css)}"' if c.css else "", c.link) for c in state.columns]
    action = spec.row_action if spec.row_action and has_access(request.user, spec.module, Access.WRITE) else None
    token = get_token(request) if action else ""
    # Built here rather than in a template loop: fifty rows of ten cells are 500 template nodes less.
    rows_html = mark_safe("\n".join(  # noqa: S308 - every cell's text and address goes through escape()
        "<tr>" + "".join(f"<td{css}>{_cell(text(row), link(row) if link else '')}</td>" for text, css, link in cells)
        + (_action_cell(action, row, token, here) if action else "")
        + "</tr>"
        for row in (page.rows if page else [])
    ))
    return {
        "spec": spec,
        "state": state,
        "page": page,
        "rows": page.rows if page else [],
        "rows_html": rows_html,
        "row_action": action,
        "headers": _headers(state),
        "controls": _controls(state),
        "errors": [f"{state.form[name].label}: {e}" for name, errors in state.form.errors.items() for e in errors],
        "chips": _chips(state) if state.valid else [],
        "count_text": _count_text(state, page) if page else "",
        "exact_count_query": f"{query}&{COUNT}=exact" if query else f"{COUNT}=exact",
        "group_options": [(key, spec.filter(key).label) for key in spec.group_by],
        "group_labels": [spec.filter(key).label for key in state.group],
        "tree_all_query": state.query(filters=group_filters),
        "tree_all_active": not any(state.raw_filters.get(key) for key in state.group),
        "ungroup_query": state.query(group=[]),
        "first_query": state.query(count=True),
        "editor": editor,
        "views": views,
        "view_changed": state.view is not None and state.view.query != state.saved_query(),
        "can_share": has_access(request.user, spec.module, Access.WRITE),
        "list_url": list_url,
        "query": query,
        "saved_query": state.saved_query(),
        "here": here,
        "here_pinned": here in pinned_urls,
        "export_csv": _with_query(_url(spec, "export", "csv"), query),
        "export_xlsx": _with_query(_url(spec, "export", "xlsx"), query),
        "report_url": _with_query(_url(spec, "report"), query),
        "urls": {name: _url(spec, name) for name in ("columns", "view_save")},
    }


def _render_grid(request: HttpRequest, spec: ListSpec, state: ListState, *, template: str, here: str) -> HttpResponse:
    context = grid_context(request, spec, state, here=here)
    fragment = request.htmx and request.htmx.target == "grid" and not request.htmx.history_restore_request
    response = render(request, "core/grid/_grid.html" if fragment else template, context)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


# --- the views -------------------------------------------------------------------------------------


def _without_blanks(params: QueryDict) -> QueryDict:
    clean = QueryDict(mutable=True)
    for key, values in params.lists():
        if kept := [v for v in values if v.strip()]:
            clean.setlist(key, kept)
    return clean


def grid_list(request: HttpRequest, spec: ListSpec, *, template: str) -> HttpResponse:
    """The list page, or with HTMX just the list (filters, tree, table) for the page to swap in."""
    # A submitted filter form sends every field, the empty ones too; the address to share leaves them out.
    params = _without_blanks(request.GET)
    here = _with_query(request.path, params.urlencode())
    if params != request.GET and not request.htmx:
        return redirect(here)
    state = list_state(spec, params, user=request.user)
    response = _render_grid(request, spec, state, template=template, here=here)
    if request.htmx and params != request.GET:
        response["HX-Push-Url"] = here
    return response


def grid_export(request: HttpRequest, spec: ListSpec, fmt: str) -> HttpResponse:
    """The filtered list as a CSV or XLSX download, in the columns and order on screen."""
    state = list_state(spec, request.GET, user=request.user)
    if fmt not in ("csv", "xlsx"):
        return HttpResponse(status=404)
    if not state.valid:
        messages.error(request, _("Fix the filters before exporting."))
        return redirect(_with_query(_url(spec, "list"), request.GET.urlencode()))
    audit_record(actor=request.user, action="abonent.core.list.exported",
                 note=f"{spec.key} {fmt}: {state.query(view=None) or '-'}")
    return export_response(state, export_queryset(state), fmt=fmt, title=str(spec.title))


def grid_report(request: HttpRequest, spec: ListSpec) -> HttpResponse:
    """A printable page of what is on screen, with the filters written out at the top."""
    state = list_state(spec, request.GET, user=request.user)
    context = grid_context(request, spec, state, here=request.get_full_path())
    context.update({"printed_at": timezone.localtime(), "list_query": _with_query(_url(spec, "list"),
                                                                                   request.GET.urlencode())})
    return render(request, "core/grid/report.html", context)


def _back_query(request: HttpRequest) -> QueryDict:
    # Only a query string comes back from the form, so the redirect cannot leave the list.
    return QueryDict(request.POST.get("query", ""), mutable=True)


@require_POST
def grid_columns(request: HttpRequest, spec: ListSpec) -> HttpResponse:
    """Save the user's columns (shown, hidden, moved up or down) or go back to the default ones."""
    back = _back_query(request)
    back.pop("cols", None)  # the columns now come from the user's saved layout
    if request.POST.get("reset"):
        list_layout_reset(user=request.user, list_key=spec.key)
    else:
        order = [key for key in dict.fromkeys(request.POST.getlist("order")) if spec.column(key)]
        order += [c.key for c in spec.columns if c.key not in order]
        chosen = set(request.POST.getlist("col"))
        key, _sep, direction = request.POST.get("move", "").partition(":")
        if key in order and direction in ("up", "down"):
            at = order.index(key)
            to = at - 1 if direction == "up" else at + 1
            if 0 <= to < len(order):
                order[at], order[to] = order[to], order[at]
        try:
            list_layout_save(user=request.user, list_key=spec.key, columns=[k for k in order if k in chosen])
        except AbonentError as error:
            messages.error(request, str(error))
    url = _with_query(_url(spec, "list"), back.urlencode())
    if request.htmx:
        state = list_state(spec, back, user=request.user)
        response = _render_grid(request, spec, state, template="core/grid/_grid.html", here=url)
        response["HX-Replace-Url"] = url
        return response
    return redirect(url)


@require_POST
def grid_view_save(request: HttpRequest, spec: ListSpec) -> HttpResponse:
    """Save what the list shows now as a named view (the same name replaces one's own view)."""
    back = _back_query(request)
    state = list_state(spec, back, user=request.user)
    if not state.valid:
        messages.error(request, _("Fix the filters before saving the view."))
        return redirect(_with_query(_url(spec, "list"), back.urlencode()))
    try:
        view = saved_view_save(
            by=request.user, list_key=spec.key, name=request.POST.get("name", ""), query=state.saved_query(),
            shared=bool(request.POST.get("shared")), may_share=has_access(request.user, spec.module, Access.WRITE),
        )
    except AbonentError as error:
        messages.error(request, str(error))
        return redirect(_with_query(_url(spec, "list"), back.urlencode()))
    messages.success(request, _("The view “%(name)s” is saved.") % {"name": view.name})
    return redirect(_with_query(_url(spec, "list"), f"view={view.pk}"))


@require_POST
def grid_view_delete(request: HttpRequest, spec: ListSpec, pk: int) -> HttpResponse:
    view = SavedView.objects.filter(pk=pk, list_key=spec.key).first()
    if view is None:
        messages.error(request, _("This saved view no longer exists."))
    else:
        try:
            saved_view_delete(by=request.user, view=view, url=_with_query(_url(spec, "list"), f"view={view.pk}"))
            messages.success(request, _("The view “%(name)s” is deleted.") % {"name": view.name})
        except AbonentError as error:
            messages.error(request, str(error))
    return redirect(_url(spec, "list"))


@require_POST
def grid_view_pin(request: HttpRequest, spec: ListSpec, pk: int) -> HttpResponse:
    """Add a saved view to "my favourites", or take it off."""
    back = _back_query(request)
    view = saved_view_get(user=request.user, list_key=spec.key, pk=pk)
    if view is None:
        messages.error(request, _("This saved view no longer exists or is not shared with you."))
    else:
        favourite_toggle(user=request.user, url=_with_query(_url(spec, "list"), f"view={view.pk}"), title=view.name)
    return redirect(_with_query(_url(spec, "list"), back.urlencode()))

"""The customers list, declared for the list engine (abonent.core.grid): columns, filters, groups, sort."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from django.core.cache import cache
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, ngettext, to_locale
from django.utils.translation import gettext_lazy as _

from abonent.accounts.models import User
from abonent.core.grid.declaration import Choice, Column, DateRange, ListSpec, Related, Search, collation_key
from abonent.core.roles import Role
from abonent.customers.models import Party, PartyKind, Stage
from abonent.customers.templatetags.customers import phone

COUNTRIES_CACHE_KEY = "customers:list:countries"
COUNTRIES_CACHE_SECONDS = 600  # a DISTINCT over millions of rows is too slow for every page


def country_name(code: str) -> str:
    """The country's name in the user's language: CZ → Czechia, Česko, Czechy, Cehia, Чехия."""
    try:
        names = Locale.parse(to_locale(get_language() or "en")).territories
    except (UnknownLocaleError, ValueError):
        return code
    return names.get(code, code)


def country_choices() -> list[tuple[str, str]]:
    codes = cache.get(COUNTRIES_CACHE_KEY)
    if codes is None:
        codes = sorted(Party.objects.order_by().values_list("country", flat=True).distinct())
        cache.set(COUNTRIES_CACHE_KEY, codes, COUNTRIES_CACHE_SECONDS)
    return sorted(((code, country_name(code)) for code in codes), key=lambda choice: collation_key(choice[1]))


def sales_reps():
    """Everyone who can look after customers, including people who have left (their customers stay)."""
    return User.objects.exclude(role=Role.CUSTOMER).order_by("first_name", "last_name", "username")


def rep_name(user: User) -> str:
    name = user.get_full_name() or user.get_username()
    return name if user.is_active else f"{name} ({_('inactive')})"


def phone_digits(term: str) -> str:
    """Search stored E.164 numbers by the digits typed ("601 123 456" finds +420601123456)."""
    digits = "".join(ch for ch in term if ch.isdigit())
    rest = "".join(ch for ch in term if not ch.isdigit() and ch not in " +-/().")
    return digits if len(digits) >= 3 and not rest else ""


def tax_id_compact(term: str) -> str:
    compact = "".join(term.split()).replace("-", "").upper()
    return compact if any(ch.isdigit() for ch in compact) else ""


def party_names(values: list[str]) -> dict[str, str]:
    """Customers' names for the ids in a list's URL (a chip reads "Customer: Jana Nováková", not "Customer: 17")."""
    ids = [int(v) for v in values if v.isdigit()]
    return {str(pk): name for pk, name in Party.objects.filter(pk__in=ids).values_list("pk", "name")}


def short_date(value) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT") if value else ""


def count_customers(n: int) -> str:
    shown = formats.number_format(n, use_l10n=True, force_grouping=True)
    return ngettext("%(count)s customer", "%(count)s customers", n) % {"count": shown}


CUSTOMERS = ListSpec(
    key="customers",
    title=_("Customers"),
    model=Party,
    queryset=lambda: Party.objects.active(),  # merged duplicates live on in their survivor
    module="customers",
    url_namespace="customers",
    columns=[
        Column("name", _("Name"), sortable=True, link=lambda party: reverse("customers:party", args=[party.pk])),
        Column("kind", _("Kind"), shown=False),
        Column("country", _("Country")),
        Column("stage", _("Stage")),
        Column("phone", _("Phone"), display=phone),
        Column("email", _("E-mail")),
        Column("tax_id", _("Tax ID")),
        Column("sales_rep", _("Sales rep"), display=lambda rep: rep_name(rep) if rep else "",
               load=("first_name", "last_name", "username", "is_active")),
        Column("created", _("Created"), field="created_at", sortable=True, display=short_date),
    ],
    filters=[
        Search("q", _("Name, e-mail, phone or tax ID"), lookups=(
            "name__icontains", "email__icontains", ("phone__contains", phone_digits),
            ("tax_id__startswith", tax_id_compact),
        )),
        Choice("stage", _("Stage"), choices=Stage.choices),
        Choice("kind", _("Kind"), choices=PartyKind.choices),
        Choice("country", _("Country"), choices=country_choices),
        Related("rep", _("Sales rep"), field="sales_rep", queryset=sales_reps, label_of=rep_name,
                none_label=_("No sales rep")),
        Search("city", _("City"), lookups=("city__iexact",), max_length=100),  # the whole name, any case
        DateRange("created", _("Created"), field="created_at"),
    ],
    group_by=["stage", "country", "rep", "kind"],
    default_sort="name",
    count_label=count_customers,
    export_name="customers",
    empty_text=_("There are no customers yet."),
)

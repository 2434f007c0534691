"""One batch of staged rows, set-based: match, create, update, record — in one transaction with the counters.

The rows are checked in Python before the transaction (`cleaning`), then, with the job row locked:

1. the rows still waiting are taken (another worker may have done some: they are left alone);
2. existing customers are looked up by the batch's tax IDs, e-mails, phones and external IDs, a handful of
   queries for the whole batch, and the matched customers are locked in id order;
3. each row, in file order, creates a customer, updates the one it matches (or the one an earlier row of the
   file created), is skipped, or is rejected;
4. everything is written with the database's bulk path (`bulk`): customers, contacts, addresses, bank
   accounts, stage moves, tags, notes, attribute values, one audit entry per customer, the rows' outcome and
   the job's counters. A crash before the commit leaves the batch waiting; after it, done.

An update compares and writes only the fields the row gives (mapped columns with a value) against the
customer as read under its lock: a user's edit committed before the batch is compared with, one committed
after waits for the batch, and fields the import does not map are never written. Empty cells never erase.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.translation import gettext as _

from abonent.core.bulk import Writer, ids_reserve, is_postgres, quoted_table, rows_insert, rows_update, rows_where
from abonent.core.models import AuditEntry, Channel
from abonent.customers.activity_services import note_sanitise
from abonent.customers.models import (
    Address,
    AddressKind,
    AttributeValue,
    BankAccount,
    ContactKind,
    ContactPoint,
    Note,
    Party,
    Stage,
    StageChange,
    Tag,
)
from abonent.customers.tracking import untracked_fields
from abonent.imports.cleaning import RowPlan
from abonent.imports.models import ImportJob, ImportRow, MatchKey, OnDuplicate, RowStatus

# Party columns an import may write, and the party's copies of its primary contact, account and address.
PARTY_COLUMNS = ("kind", "name", "first_name", "last_name", "country", "tax_id", "vat_id", "stage",
                 "call_center_status_id", "sales_rep_id", "external_ref")
PRIMARY_COPIES = ("email", "phone", "iban", "city")
# How a column is called in the customer's history (the customers app's field names).
HISTORY_NAMES = {"call_center_status_id": "call_center_status", "sales_rep_id": "sales_rep"}
INSERT_COLUMNS = {
    ContactPoint: ("party_id", "kind", "value", "label", "is_primary"),
    Address: ("party_id", "kind", "street", "city", "postal_code", "country", "is_primary"),
    BankAccount: ("party_id", "iban", "account_number", "bic", "label", "is_primary"),
    StageChange: ("party_id", "from_stage", "to_stage", "at", "reason", "by_id"),
    Note: ("party_id", "body", "author_id", "created_at"),
    AttributeValue: ("party_id", "definition_id", "text", "text_translations", "number", "date", "choice_id",
                     "boolean", "active_from", "active_to"),
}
IMPORT_LOCK = 0x1A70_4B5  # PostgreSQL advisory lock: one batch of any import matches and writes at a time


@dataclass
class Outcome:
    status: str
    party_id: int | None = None
    reasons: list[str] = field(default_factory=list)
    previous: dict[str, Any] = field(default_factory=dict)


@dataclass
class NewParty:
    """A customer the batch creates: the first row's values, with later rows of the same customer merged in."""

    plan: RowPlan
    rows: list[int]  # row ids
    id: int = 0


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal | dt.date):
        return str(value)
    return value


class Batch:
    """Writes one batch of cleaned rows for a locked job."""

    def __init__(self, *, job: ImportJob, now: dt.datetime, labels: dict[str, dict[int, str]],
                 writer: Writer | None = None) -> None:
        self.job = job
        # New rows go through the writer when there is one (written from a second thread once the batch's
        # reads are done: see run); else at once.
        self.insert = writer.insert if writer else rows_insert
        self.writer = writer
        self.now = now
        self.today = now.date()
        self.match_on = [k for k in job.match_on if k in MatchKey.values]
        self.labels = labels  # {"sales_rep_id": {id: name}, "call_center_status_id": {id: name}}
        self.outcomes: dict[int, Outcome] = {}
        self.untracked = untracked_fields("party")
        self.party_type = ContentType.objects.get_for_model(Party)
        actor = job.created_by
        self.actor_id = actor.pk if actor else None
        self.actor_label = (actor.get_full_name() or actor.get_username()) if actor else _("system")
        self.note = _("import job %(n)s") % {"n": job.pk}  # the reason of stage moves
        self.row_note = _("import job %(n)s, row %(row)s")
        self.key_names = {key: str(label).lower() for key, label in MatchKey.choices}
        # rows to write, by table
        # Rows to insert per table (in INSERT_COLUMNS order); those of updated customers carry a reserved id first.
        self.rows: dict[type, list[tuple]] = defaultdict(list)
        self.rows_with_id: dict[type, list[tuple]] = defaultdict(list)
        self.party_tags: list[tuple[int, str]] = []  # (party id, tag name)
        self.tags_new: list[tuple[int, str]] = []  # tags the batch creates, with reserved ids
        self.audit: list[tuple] = []
        self.attribute_updates: list[tuple[int, dict[str, Any]]] = []

    # --- matching ---------------------------------------------------------------------------------------

    @staticmethod
    def _keys(plan: RowPlan, key: str) -> list[str]:
        if key == MatchKey.TAX_ID:
            return [plan.fields["tax_id"]] if plan.fields.get("tax_id") else []
        if key == MatchKey.EMAIL:
            return plan.emails
        if key == MatchKey.PHONE:
            return plan.phones
        return [plan.fields["external_ref"]] if plan.fields.get("external_ref") else []

    def _existing(self, plans: list[tuple[int, RowPlan]]) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
        """Return ({match key: {value: lowest party id}}, {external ref: party id}) for the batch's values.

        A handful of queries for the whole batch, each with the batch's values as one parameter.
        """
        found: dict[str, dict[str, int]] = {}

        def keep(index: dict[str, int], pairs: Iterable[tuple[str, int]]) -> None:
            for value, pk in pairs:
                if value not in index or pk < index[value]:
                    index[value] = pk

        for key in self.match_on:
            values = sorted({v for _id, plan in plans for v in self._keys(plan, key)})
            index: dict[str, int] = {}
            if values and key == MatchKey.TAX_ID:
                keep(index, values_matching(Party, "tax_id", values, "id", active=True))
            elif values and key in (MatchKey.EMAIL, MatchKey.PHONE):
                keep(index, values_matching(Party, key, values, "id", active=True))
                keep(index, values_matching(ContactPoint, "value", values, "party_id", kind=key))
            found[key] = index
        refs = sorted({plan.fields["external_ref"] for _id, plan in plans if plan.fields.get("external_ref")})
        external = {ref: merged_into or pk for ref, pk, merged_into in values_matching(
            Party, "external_ref", refs, "id", "merged_into_id")} if refs else {}
        if MatchKey.EXTERNAL_ID in self.match_on:
            found[MatchKey.EXTERNAL_ID] = dict(external)
        return found, external

    # --- the batch --------------------------------------------------------------------------------------

    def run(self, plans: list[tuple[int, RowPlan]]) -> dict[int, Outcome]:
        valid = []
        for row_id, plan in plans:
            if plan.errors:
                self.outcomes[row_id] = Outcome(RowStatus.REJECTED, reasons=list(plan.errors))
            else:
                valid.append((row_id, plan))
        found, external = self._existing(valid)
        new_parties: list[NewParty] = []
        updates: dict[int, list[tuple[int, RowPlan, str]]] = defaultdict(list)
        seen: dict[str, dict[str, tuple[str, Any, int]]] = {key: {} for key in self.match_on}  # value → target
        refs_taken: dict[str, Any] = {}
        for row_id, plan in valid:
            target = self._match(plan, found, seen)
            on_duplicate = self.job.on_duplicate
            ref = plan.fields.get("external_ref")
            if target is not None and on_duplicate == OnDuplicate.SKIP:
                self.outcomes[row_id] = Outcome(RowStatus.SKIPPED, party_id=target[1] if target[0] == "party" else
                                                None, reasons=[target[2]])
                continue
            if target is None or on_duplicate == OnDuplicate.CREATE:
                if plan.create_errors:
                    self.outcomes[row_id] = Outcome(RowStatus.REJECTED, reasons=list(plan.create_errors))
                    continue
                if ref and (ref in external or ref in refs_taken):
                    self.outcomes[row_id] = Outcome(RowStatus.REJECTED, reasons=[
                        _("External ID “%(ref)s” already belongs to another customer.") % {"ref": ref}])
                    continue
                new = NewParty(plan=plan, rows=[row_id])
                new_parties.append(new)
                target = ("new", new, "")
            elif target[0] == "new":
                # A later row of the file about a customer an earlier row creates: merged into it.
                new = target[1]
                if ref and ref != new.plan.fields.get("external_ref") and (ref in external or ref in refs_taken):
                    self.outcomes[row_id] = Outcome(RowStatus.REJECTED, reasons=[
                        _("External ID “%(ref)s” already belongs to another customer.") % {"ref": ref}])
                    continue
                _merge(new.plan, plan)
                new.rows.append(row_id)
                self.outcomes[row_id] = Outcome(RowStatus.UPDATED, reasons=[target[2]])
            else:
                party_id = target[1]
                owner = external.get(ref) if ref else None
                if ref and ((owner is not None and owner != party_id) or ref in refs_taken and
                            refs_taken[ref] != party_id):
                    self.outcomes[row_id] = Outcome(RowStatus.REJECTED, reasons=[
                        _("External ID “%(ref)s” already belongs to another customer.") % {"ref": ref}])
                    continue
                updates[party_id].append((row_id, plan, target[2]))
            if ref:
                refs_taken[ref] = target[1] if target[0] == "party" else target[1]
            for key in self.match_on:
                for value in self._keys(plan, key):
                    seen[key].setdefault(value, (target[0], target[1], plan.number))
        # Everything that reads the database comes first: then the writer, if any, has the connection, and
        # each table's rows are sent as soon as they are built, while the next table's are being built.
        for new, pk in zip(new_parties, ids_reserve(Party, len(new_parties)), strict=True):
            new.id = pk
        self._update(updates)
        tags = self._tags_reserve([tag for new in new_parties for tag in new.plan.tags])
        if self.writer:
            self.writer.start()
        # Rows with reserved ids go first: on SQLite the others take the next free ids, after them.
        for model, columns in INSERT_COLUMNS.items():
            self.insert(model, ("id", *columns), self.rows_with_id[model])
        self._create(new_parties)
        self._write(tags)
        return self.outcomes

    def _match(self, plan: RowPlan, found: dict[str, dict[str, int]],
               seen: dict[str, dict[str, tuple[str, Any, int]]]) -> tuple[str, Any, str] | None:
        """The customer the row is about: ("party", id, why) for an existing one, ("new", NewParty, why) for one
        an earlier row of the batch creates, None for none."""
        names = self.key_names
        for key in self.match_on:
            for value in self._keys(plan, key):
                if value in found[key]:
                    return "party", found[key][value], _("Same %(key)s as an existing customer (%(value)s).") % {
                        "key": names[key], "value": value}
        for key in self.match_on:
            for value in self._keys(plan, key):
                if value in seen[key]:
                    kind, target, number = seen[key][value]
                    return kind, target, _("Same %(key)s as row %(row)s of the file (%(value)s).") % {
                        "key": names[key], "row": number, "value": value}
        return None

    # --- new customers ----------------------------------------------------------------------------------

    def _create(self, new_parties: list[NewParty]) -> None:
        """Build and send the new customers' rows (their ids are reserved): the customers first, so that the
        database writes them while their contacts, addresses and history are built."""
        if not new_parties:
            return
        party_rows = []
        for new in new_parties:
            plan = new.plan
            values = plan.fields
            address = plan.address
            party_rows.append((
                new.id, plan.kind, plan.name, values.get("first_name", ""), values.get("last_name", ""),
                plan.country, plan.emails[0] if plan.emails else "", plan.phones[0] if plan.phones else "",
                values.get("tax_id", ""), values.get("vat_id", ""), plan.iban, address["city"] if address else "",
                values.get("stage", Stage.PROSPECT), values.get("call_center_status_id"), values.get("sales_rep_id"),
                values.get("external_ref", ""), self.now,
            ))
            for row_id in new.rows:
                outcome = self.outcomes.get(row_id)
                if outcome is None:
                    self.outcomes[row_id] = Outcome(RowStatus.CREATED, party_id=new.id)
                else:
                    outcome.party_id = new.id
        self.insert(Party, ("id", "kind", "name", "first_name", "last_name", "country", "email", "phone", "tax_id",
                            "vat_id", "iban", "city", "stage", "call_center_status_id", "sales_rep_id",
                            "external_ref", "created_at"), party_rows)
        for new in new_parties:
            pk, plan = new.id, new.plan
            values = plan.fields
            address = plan.address
            for kind, items in ((ContactKind.EMAIL, plan.emails), (ContactKind.PHONE, plan.phones)):
                for index, value in enumerate(items):
                    self.rows[ContactPoint].append((pk, kind, value, "", index == 0))
            if address:
                self.rows[Address].append((pk, AddressKind.REGISTERED, address["street"], address["city"],
                                       address["postal_code"], address["country"], True))
            if plan.iban:
                self.rows[BankAccount].append((pk, plan.iban, "", "", "", True))
            self.rows[StageChange].append((pk, "", values.get("stage", Stage.PROSPECT), self.now, "", self.actor_id))
            if plan.note:
                self.rows[Note].append((pk, note_sanitise(plan.note, is_html=False), self.actor_id, self.now))
            for definition_id, columns in plan.attributes.items():
                self.rows[AttributeValue].append(_attribute_row(pk, definition_id, columns, self.today))
            for tag in plan.tags:
                self.party_tags.append((pk, tag))
            changes = {
                "name": plan.name, "first_name": values.get("first_name"), "last_name": values.get("last_name"),
                "country": plan.country, "stage": values.get("stage", Stage.PROSPECT),
                "phone": plan.phones[0] if plan.phones else "", "email": plan.emails[0] if plan.emails else "",
                "tax_id": values.get("tax_id"), "vat_id": values.get("vat_id"), "iban": plan.iban,
                "sales_rep": self._label("sales_rep_id", values.get("sales_rep_id")),
                "call_center_status": self._label("call_center_status_id", values.get("call_center_status_id")),
                "external_ref": values.get("external_ref"),
                "address": ", ".join(p for p in (address["street"], address["city"]) if p) if address else "",
                "tags": plan.tags,
            }
            self._audit(pk, plan.name, "abonent.customers.party.created",
                        {f: (None, v) for f, v in changes.items() if v}, number=plan.number)

    def _label(self, column: str, value: Any) -> Any:
        if value is None:
            return None
        return self.labels.get(column, {}).get(value, value)

    def _audit(self, party_id: int, label: str, action: str, changes: dict[str, tuple[Any, Any]],
               number: int) -> None:
        # Values are text, numbers, None or lists here (attribute values were made plain when noted).
        untracked = self.untracked
        tracked = {f: [old, new] for f, (old, new) in changes.items() if f not in untracked}
        if not tracked:
            return
        self.audit.append((self.now, self.actor_id, self.actor_label, action, Channel.IMPORT, self.party_type.pk,
                           str(party_id), label[:300], self.party_type.pk, str(party_id), tracked,
                           self.row_note % {"n": self.job.pk, "row": number}))

    # --- existing customers -----------------------------------------------------------------------------

    def _update(self, updates: dict[int, list[tuple[int, RowPlan, str]]]) -> None:
        if not updates:
            return
        ids = sorted(updates)
        columns = ("id", *PARTY_COLUMNS, *PRIMARY_COPIES)
        locked = Party.objects.filter(id__in=ids).order_by("id")
        if is_postgres():
            locked = locked.select_for_update(of=("self",))
        state = {row[0]: dict(zip(columns, row, strict=True)) for row in locked.values_list(*columns)}
        original = {pk: dict(values) for pk, values in state.items()}
        contacts: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for party_id, kind, value in ContactPoint.objects.filter(party_id__in=ids).values_list("party_id", "kind",
                                                                                              "value"):
            contacts[party_id].add((kind, value))
        addresses: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for party_id, street, city in Address.objects.filter(party_id__in=ids).values_list("party_id", "street",
                                                                                           "city"):
            addresses[party_id].add((street.casefold(), city.casefold()))
        accounts: dict[int, set[str]] = defaultdict(set)
        for party_id, iban in BankAccount.objects.filter(party_id__in=ids).exclude(iban="").values_list("party_id",
                                                                                                        "iban"):
            accounts[party_id].add(iban)
        tags: dict[int, set[str]] = defaultdict(set)
        for party_id, name in Party.tags.through.objects.filter(party_id__in=ids).values_list("party_id",
                                                                                             "tag__name"):
            tags[party_id].add(name.casefold())
        attributes = {(v.party_id, v.definition_id): v
                      for v in AttributeValue.objects.filter(party_id__in=ids, active_to__isnull=True)}
        reserve: dict[str, int] = defaultdict(int)
        for plans in updates.values():
            for _row_id, plan, _why in plans:
                reserve["contact"] += len(plan.emails) + len(plan.phones)
                reserve["address"] += plan.address is not None
                reserve["account"] += bool(plan.iban)
                reserve["note"] += bool(plan.note)
                reserve["attribute"] += len(plan.attributes)
                reserve["stage"] += "stage" in plan.fields
        pool = {
            "contact": iter(ids_reserve(ContactPoint, reserve["contact"])),
            "address": iter(ids_reserve(Address, reserve["address"])),
            "account": iter(ids_reserve(BankAccount, reserve["account"])),
            "note": iter(ids_reserve(Note, reserve["note"])),
            "attribute": iter(ids_reserve(AttributeValue, reserve["attribute"])),
            "stage": iter(ids_reserve(StageChange, reserve["stage"])),
        }
        for party_id in ids:
            current = state.get(party_id)
            for row_id, plan, why in updates[party_id]:
                if current is None:  # deleted meanwhile
                    self.outcomes[row_id] = Outcome(RowStatus.REJECTED,
                                                    reasons=[_("The matching customer was deleted meanwhile.")])
                    continue
                self._update_one(row_id, plan, why, current, contacts[party_id], addresses[party_id],
                                 accounts[party_id], tags[party_id], attributes, pool)
        # One UPDATE per set of changed columns (usually one or two per batch), keyed by id.
        by_columns: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
        for pk, values in state.items():
            changed = tuple(c for c in (*PARTY_COLUMNS, *PRIMARY_COPIES) if values[c] != original[pk][c])
            if changed:
                by_columns[changed].append((pk, *(values[c] for c in changed)))
        for changed, rows in by_columns.items():
            rows_update(Party, changed, rows)
        for pk, columns in self.attribute_updates:
            AttributeValue.objects.filter(pk=pk).update(**columns)

    def _update_one(self, row_id: int, plan: RowPlan, why: str, current: dict[str, Any],
                    contacts: set[tuple[str, str]],
                    addresses: set[tuple[str, str]], accounts: set[str], tags: set[str],
                    attributes: dict[tuple[int, int], AttributeValue], pool: dict[str, Any]) -> None:
        party_id = current["id"]
        before: dict[str, Any] = {}
        wrote: dict[str, Any] = {}
        added: dict[str, list[int]] = defaultdict(list)
        changes: dict[str, tuple[Any, Any]] = {}

        def put(column: str, value: Any) -> None:
            if current[column] == value:
                return
            before.setdefault(column, current[column])
            wrote[column] = value
            name = HISTORY_NAMES.get(column, column)
            changes[name] = (self._label(column, current[column]), self._label(column, value))
            current[column] = value

        for column in PARTY_COLUMNS:
            if column in plan.fields and column != "stage":
                put(column, plan.fields[column])
        if "stage" in plan.fields and plan.fields["stage"] != current["stage"]:
            pk = next(pool["stage"])
            self.rows_with_id[StageChange].append((pk, party_id, current["stage"], plan.fields["stage"], self.now,
                                                   self.note, self.actor_id))
            added["stage_change"].append(pk)
            put("stage", plan.fields["stage"])
        for kind, values in ((ContactKind.EMAIL, plan.emails), (ContactKind.PHONE, plan.phones)):
            for value in values:
                if (kind, value) in contacts:
                    continue
                pk = next(pool["contact"])
                primary = not current[kind]
                self.rows_with_id[ContactPoint].append((pk, party_id, kind, value, "", primary))
                contacts.add((kind, value))
                added["contact"].append(pk)
                if primary:
                    put(kind, value)
                else:
                    changes.setdefault(kind, (None, value))
        address = plan.address
        if address and (address["street"].casefold(), address["city"].casefold()) not in addresses:
            pk = next(pool["address"])
            primary = not addresses
            self.rows_with_id[Address].append((pk, party_id, AddressKind.REGISTERED, address["street"],
                                               address["city"],
                                   address["postal_code"], address["country"], primary))
            addresses.add((address["street"].casefold(), address["city"].casefold()))
            added["address"].append(pk)
            changes["address"] = (None, ", ".join(p for p in (address["street"], address["city"]) if p))
            if primary:
                put("city", address["city"])
        if plan.iban and plan.iban not in accounts:
            pk = next(pool["account"])
            primary = not accounts
            self.rows_with_id[BankAccount].append((pk, party_id, plan.iban, "", "", "", primary))
            accounts.add(plan.iban)
            added["bank_account"].append(pk)
            if primary:
                put("iban", plan.iban)
            else:
                changes.setdefault("iban", (None, plan.iban))
        new_tags = [t for t in plan.tags if t.casefold() not in tags]
        if new_tags:
            for tag in new_tags:
                self.party_tags.append((party_id, tag))
                tags.add(tag.casefold())
            added["tag"] = new_tags
            changes["tags"] = (None, new_tags)
        if plan.note:
            pk = next(pool["note"])
            self.rows_with_id[Note].append((pk, party_id, note_sanitise(plan.note, is_html=False), self.actor_id,
                                            self.now))
            added["note"].append(pk)
            changes["note"] = (None, plan.note)
        replaced: dict[str, Any] = {}
        for definition_id, columns in plan.attributes.items():
            existing = attributes.get((party_id, definition_id))
            if existing is not None and all(
                    getattr(existing, c) == v for c, v in columns.items()):
                continue
            if existing is not None and existing.active_from >= self.today:
                old = {c: _jsonable(getattr(existing, c)) for c in columns}
                replaced[str(existing.pk)] = old
                self.attribute_updates.append((existing.pk, columns))
                for c, v in columns.items():
                    setattr(existing, c, v)
            else:
                if existing is not None:
                    self.attribute_updates.append((existing.pk, {"active_to": self.today}))
                    replaced[str(existing.pk)] = {"active_to": None}
                pk = next(pool["attribute"])
                self.rows_with_id[AttributeValue].append(
                    (pk, *_attribute_row(party_id, definition_id, columns, self.today)))
                added["attribute_value"].append(pk)
                fresh = AttributeValue(pk=pk, party_id=party_id, definition_id=definition_id,
                                       active_from=self.today, **columns)
                attributes[(party_id, definition_id)] = fresh
            changes[f"attribute:{definition_id}"] = (None, _jsonable(next(iter(columns.values()))))
        if not changes:
            self.outcomes[row_id] = Outcome(RowStatus.SKIPPED, party_id=party_id,
                                            reasons=[_("Matches an existing customer; nothing to change.")])
            return
        previous = {"party": before, "wrote": wrote, "added": dict(added)}
        if replaced:
            previous["replaced"] = replaced
        self.outcomes[row_id] = Outcome(RowStatus.UPDATED, party_id=party_id, reasons=[why], previous=previous)
        self._audit(party_id, current["name"], "abonent.customers.party.changed", changes, number=plan.number)

    # --- writing ----------------------------------------------------------------------------------------

    def _write(self, tags: dict[str, int]) -> None:
        """Send the new customers' other rows, the tags and the history entries."""
        for model, columns in INSERT_COLUMNS.items():
            self.insert(model, columns, self.rows[model])
        self.insert(Tag, ("id", "name"), self.tags_new)
        self.insert(Party.tags.through, ("party_id", "tag_id"),
                    sorted({(party, tags[name.casefold()]) for party, name in self.party_tags}))
        self.insert(AuditEntry, ("at", "actor_id", "actor_label", "action", "channel", "target_type_id",
                                 "target_id", "target_label", "subject_type_id", "subject_id", "changes", "note"),
                    self.audit)

    def _tags_reserve(self, names: list[str]) -> dict[str, int]:
        """{folded name: id} of the batch's tags (the new customers' `names`, then the updates'); the tags not
        yet known get ids reserved and wait in tags_new, each spelt as it first appears."""
        names = names + [name for _party, name in self.party_tags]
        if not names:
            return {}
        known = {name.casefold(): pk for pk, name in Tag.objects.values_list("id", "name")}
        missing: dict[str, str] = {}
        for name in names:
            if name.casefold() not in known:
                missing.setdefault(name.casefold(), name)
        self.tags_new = list(zip(ids_reserve(Tag, len(missing)), missing.values(), strict=True))
        known.update((name.casefold(), pk) for pk, name in self.tags_new)
        return known


def values_matching(model: type, column: str, values: list[str], *returned: str, active: bool = False,
                    kind: str = "") -> list[tuple]:
    """Rows of `model` whose `column` is one of `values`: (value, *returned) each, in one query
    (core.bulk.rows_where). `active` leaves out merged customers (for contacts: contacts of merged
    customers); `kind` picks contacts of one kind.
    """
    quote = connection.ops.quote_name
    selected = ", ".join(f"t.{quote(c)}" for c in (column, *returned))
    where, params = [f"t.{quote(column)} {{any}}"], [values]
    if active:
        where.append("t.merged_into_id IS NULL")
    if kind:
        where.append("t.kind = %s AND p.merged_into_id IS NULL")
        params.append(kind)
    join = f" JOIN {quoted_table(Party)} p ON p.id = t.party_id" if kind else ""
    return rows_where(f"SELECT {selected} FROM {quoted_table(model)} t{join} "  # noqa: S608
                      f"WHERE {' AND '.join(where)}", params)


def _attribute_row(party_id: int, definition_id: int, columns: dict[str, Any], today: dt.date) -> tuple:
    return (party_id, definition_id, columns.get("text", ""), {}, columns.get("number"), columns.get("date"),
            columns.get("choice_id"), columns.get("boolean"), today, None)


def _merge(into: RowPlan, later: RowPlan) -> None:
    """Fold a later row about the same new customer into the first: its values win, lists are joined."""
    into.fields.update(later.fields)
    if later.name and ("name" in later.fields or not into.name):
        into.name = later.name
    into.emails += [e for e in later.emails if e not in into.emails]
    into.phones += [p for p in later.phones if p not in into.phones]
    into.tags += [t for t in later.tags if t.casefold() not in {x.casefold() for x in into.tags}]
    into.address = later.address or into.address
    into.iban = later.iban or into.iban
    into.note = "\n".join(n for n in (into.note, later.note) if n)
    into.attributes.update(later.attributes)
    if later.fields.get("kind"):
        into.kind = later.kind


def import_lock() -> None:
    """Serialise the matching and writing of import batches across jobs (SQLite's writers already are)."""
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def outcomes_store(outcomes: dict[int, Outcome], *, writer: Writer | None = None) -> None:
    (writer.update if writer else rows_update)(ImportRow, ("status", "errors", "party_id", "previous"), [
        (row_id, o.status, o.reasons, o.party_id, o.previous) for row_id, o in outcomes.items()
    ])

"""Benchmark of issue 3: the customers list and the customer page on a big table.

    .venv/bin/python bench/customer_list.py                      # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/x .venv/bin/python bench/customer_list.py

It builds its own database (SQLite: a file in the temporary directory; PostgreSQL: the database
`abonent_bench` on the server of DATABASE_URL, dropped at the end), migrates it, loads N customers
(default 1,000,000) by the database's bulk path (COPY on PostgreSQL, executemany in big transactions on
SQLite; indexes are dropped during the load and built afterwards), vacuums/analyzes, then times pages
through Django's test client signed in as a manager: the whole Django stack (middleware, session, view,
queries, template) without a network hop. The last line printed is one JSON object; see
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import math
import os
import platform
import random
import re
import sqlite3
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import drop_database, prepare_database  # noqa: E402

BENCH_DB = "abonent_bench"
CHUNK = 100_000

# --- a small generated vocabulary ------------------------------------------------------------------

# (share of customers, [(male first, female first)], [(male last, female last)], [cities by size], phone prefix)
COUNTRIES: dict[str, dict[str, Any]] = {
    "CZ": {
        "share": 40, "phone": "+4206",
        "first": [("Jan", "Jana"), ("Petr", "Petra"), ("Pavel", "Pavla"), ("Martin", "Martina"), ("Tomáš", "Tereza"),
                  ("Jiří", "Eva"), ("Josef", "Hana"), ("Lukáš", "Lucie"), ("Jakub", "Kateřina"), ("David", "Lenka"),
                  ("Michal", "Michaela"), ("Ondřej", "Veronika"), ("Karel", "Zuzana"), ("Milan", "Marie")],
        "last": [("Novák", "Nováková"), ("Svoboda", "Svobodová"), ("Novotný", "Novotná"), ("Dvořák", "Dvořáková"),
                 ("Černý", "Černá"), ("Procházka", "Procházková"), ("Kučera", "Kučerová"), ("Veselý", "Veselá"),
                 ("Horák", "Horáková"), ("Němec", "Němcová"), ("Marek", "Marková"), ("Pospíšil", "Pospíšilová"),
                 ("Hájek", "Hájková"), ("Král", "Králová"), ("Jelínek", "Jelínková"), ("Růžička", "Růžičková"),
                 ("Beneš", "Benešová"), ("Fiala", "Fialová"), ("Sedláček", "Sedláčková"), ("Zeman", "Zemanová")],
        "cities": ["Praha", "Brno", "Ostrava", "Plzeň", "Liberec", "Olomouc", "České Budějovice", "Hradec Králové",
                   "Ústí nad Labem", "Pardubice", "Zlín", "Havířov", "Kladno", "Most", "Opava", "Frýdek-Místek",
                   "Karviná", "Jihlava", "Teplice", "Děčín", "Karlovy Vary", "Chomutov", "Jablonec nad Nisou",
                   "Mladá Boleslav", "Prostějov"],
        "company": (["Alfa", "Beta", "Elektro", "Stavby", "Agro", "Tech", "Servis", "Moravia", "Bohemia", "Data"],
                    ["Plus", "Trade", "Group", "Systém", "Partner", "Centrum"], ["s.r.o.", "a.s.", "v.o.s."]),
    },
    "PL": {
        "share": 30, "phone": "+485",
        "first": [("Piotr", "Anna"), ("Krzysztof", "Maria"), ("Andrzej", "Katarzyna"), ("Tomasz", "Małgorzata"),
                  ("Paweł", "Agnieszka"), ("Michał", "Barbara"), ("Marcin", "Ewa"), ("Jakub", "Magdalena"),
                  ("Łukasz", "Joanna"), ("Grzegorz", "Zofia"), ("Mateusz", "Monika"), ("Adam", "Aleksandra")],
        "last": [("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"), ("Wójcik", "Wójcik"),
                 ("Kowalczyk", "Kowalczyk"), ("Kamiński", "Kamińska"), ("Lewandowski", "Lewandowska"),
                 ("Zieliński", "Zielińska"), ("Szymański", "Szymańska"), ("Woźniak", "Woźniak"),
                 ("Dąbrowski", "Dąbrowska"), ("Kozłowski", "Kozłowska"), ("Jankowski", "Jankowska"),
                 ("Mazur", "Mazur"), ("Krawczyk", "Krawczyk"), ("Piotrowski", "Piotrowska")],
        "cities": ["Warszawa", "Kraków", "Wrocław", "Łódź", "Poznań", "Gdańsk", "Szczecin", "Bydgoszcz", "Lublin",
                   "Białystok", "Katowice", "Gdynia", "Częstochowa", "Radom", "Rzeszów", "Toruń", "Sosnowiec",
                   "Kielce", "Gliwice", "Olsztyn", "Zabrze", "Bielsko-Biała", "Bytom", "Zielona Góra", "Rybnik"],
        "company": (["Polmex", "Budex", "Transpol", "Elektra", "Agromax", "Infotech", "Mazovia", "Silesia"],
                    ["Serwis", "Handel", "Grupa", "Systemy", "Partner"], ["sp. z o.o.", "S.A.", "sp.j."]),
    },
    "RO": {
        "share": 15, "phone": "+407",
        "first": [("Andrei", "Maria"), ("Alexandru", "Elena"), ("Ion", "Ioana"), ("Mihai", "Ana"),
                  ("Gheorghe", "Andreea"), ("Constantin", "Mihaela"), ("Florin", "Cristina"), ("Vasile", "Gabriela"),
                  ("Adrian", "Alexandra"), ("Stefan", "Daniela")],
        "last": [("Popescu", "Popescu"), ("Ionescu", "Ionescu"), ("Popa", "Popa"), ("Pop", "Pop"),
                 ("Radu", "Radu"), ("Dumitru", "Dumitru"), ("Stoica", "Stoica"), ("Stan", "Stan"),
                 ("Gheorghe", "Gheorghe"), ("Rusu", "Rusu"), ("Munteanu", "Munteanu"), ("Matei", "Matei"),
                 ("Constantin", "Constantin"), ("Șerban", "Șerban")],
        "cities": ["București", "Cluj-Napoca", "Timișoara", "Iași", "Constanța", "Craiova", "Brașov", "Galați",
                   "Ploiești", "Oradea", "Brăila", "Arad", "Pitești", "Sibiu", "Bacău", "Târgu Mureș",
                   "Baia Mare", "Buzău", "Botoșani", "Satu Mare"],
        "company": (["Carpați", "Dacia", "Electro", "Agro", "Transilvania", "Delta", "Nova"],
                    ["Serv", "Com", "Trans", "Impex", "Grup"], ["S.R.L.", "S.A."]),
    },
    "RU": {
        "share": 15, "phone": "+79",
        "first": [("Александр", "Анна"), ("Сергей", "Елена"), ("Дмитрий", "Ольга"), ("Андрей", "Наталья"),
                  ("Алексей", "Екатерина"), ("Максим", "Мария"), ("Евгений", "Татьяна"), ("Иван", "Ирина"),
                  ("Михаил", "Светлана"), ("Артём", "Юлия")],
        "last": [("Иванов", "Иванова"), ("Смирнов", "Смирнова"), ("Кузнецов", "Кузнецова"), ("Попов", "Попова"),
                 ("Васильев", "Васильева"), ("Петров", "Петрова"), ("Соколов", "Соколова"),
                 ("Михайлов", "Михайлова"), ("Новиков", "Новикова"), ("Фёдоров", "Фёдорова"),
                 ("Морозов", "Морозова"), ("Волков", "Волкова"), ("Алексеев", "Алексеева"), ("Лебедев", "Лебедева")],
        "cities": ["Москва", "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Казань", "Нижний Новгород",
                   "Челябинск", "Самара", "Омск", "Ростов-на-Дону", "Уфа", "Красноярск", "Воронеж", "Пермь",
                   "Волгоград", "Краснодар", "Саратов", "Тюмень", "Тольятти", "Ижевск"],
        "company": (["Альфа", "Вектор", "Прогресс", "Техно", "Сибирь", "Волга", "Стройка"],
                    ["Сервис", "Торг", "Групп", "Систем", "Инвест"], ["ООО", "АО"]),
    },
}
STAGES = [("prospect", 3), ("lead", 2), ("customer", 8), ("former", 1)]
REPS = 20
YEARS = 5
MERGED_SHARE = 0.002  # merged duplicates: the list leaves them out
ORGANISATION_SHARE = 0.25
LATIN = str.maketrans("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "abvgdeezzijklmnoprstufhccss_y_eua")


def ascii_word(text: str) -> str:
    text = text.lower().translate(LATIN)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum())


# --- the database ----------------------------------------------------------------------------------


# --- loading ---------------------------------------------------------------------------------------


def create_staff() -> tuple[Any, list[Any]]:
    from abonent.accounts.models import User
    from abonent.accounts.services import rights_seed_defaults
    from abonent.core.roles import Role

    rights_seed_defaults()
    manager, _ = User.objects.get_or_create(
        username="bench-manager", defaults={"role": Role.MANAGER, "first_name": "Bench", "last_name": "Manager",
                                            "language": "en", "password": "!"},
    )
    rng = random.Random(7)
    existing = list(User.objects.filter(role=Role.SALES_REP).order_by("pk"))
    if len(existing) < REPS:
        User.objects.bulk_create([
            User(username=f"bench-rep-{n:02d}", role=Role.SALES_REP, password="!", language="cs",
                 first_name=rng.choice(COUNTRIES["CZ"]["first"])[n % 2],
                 last_name=rng.choice(COUNTRIES["CZ"]["last"])[n % 2], is_active=n % 10 != 9)
            for n in range(len(existing), REPS)
        ])
    reps = list(User.objects.filter(role=Role.SALES_REP).order_by("pk"))
    return manager, reps


def generate(n: int, rep_ids: list[int], *, seed: int) -> Iterator[tuple[list[dict], list[dict], list[dict]]]:
    """Customers (with their primary phone, e-mail and address) in chunks, the same for the same seed."""
    rng = random.Random(seed)
    codes = list(COUNTRIES)
    shares = [COUNTRIES[c]["share"] for c in codes]
    city_weights = {c: [1 / (rank + 1) for rank in range(len(COUNTRIES[c]["cities"]))] for c in codes}
    rep_weights = [1 / (1 + 0.15 * i) for i in range(len(rep_ids))]
    stages, stage_weights = zip(*STAGES, strict=True)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    span = YEARS * 365 * 86400
    domains = ["gmail.com", "seznam.cz", "email.cz", "wp.pl", "onet.pl", "yahoo.com", "mail.ru", "yandex.ru"]
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        country = rng.choices(codes, shares, k=size)
        stage = rng.choices(stages, stage_weights, k=size)
        rep = rng.choices(rep_ids, rep_weights, k=size)
        parties, contacts, addresses = [], [], []
        for i in range(size):
            pk = start + i + 1
            c = country[i]
            vocab = COUNTRIES[c]
            city = rng.choices(vocab["cities"], city_weights[c])[0]
            created = now - dt.timedelta(seconds=rng.randrange(span))
            if rng.random() < ORGANISATION_SHARE:
                words, more, forms = vocab["company"]
                name = f"{rng.choice(words)} {rng.choice(more)} {rng.choice(forms)}"
                kind, first, last = "organisation", "", ""
                tax_id = str(rng.randrange(10_000_000, 99_999_999))
                email = f"info.{pk}@{ascii_word(name.split()[0]) or 'firma'}.example"
            else:
                female = rng.random() < 0.5
                first = rng.choice(vocab["first"])[female]
                last = rng.choice(vocab["last"])[female]
                name, kind, tax_id = f"{first} {last}", "person", ""
                email = f"{ascii_word(first)}.{ascii_word(last)}.{pk}@{rng.choice(domains)}"
            phone = vocab["phone"] + "".join(rng.choices("0123456789", k=8))
            s = stage[i]
            has_rep = rng.random() < (0.2 if s == "prospect" else 0.95)
            merged = pk > 10 and rng.random() < MERGED_SHARE
            parties.append({
                "id": pk, "kind": kind, "name": name, "first_name": first, "last_name": last, "country": c,
                "email": email, "phone": phone, "tax_id": tax_id, "vat_id": f"{c}{tax_id}" if tax_id else "",
                "city": city, "stage": s, "sales_rep_id": rep[i] if has_rep else None, "created_at": created,
                "merged_into_id": rng.randrange(1, pk) if merged else None,
                "merged_at": created + dt.timedelta(days=1) if merged else None,
            })
            contacts.append({"party_id": pk, "kind": "phone", "value": phone, "is_primary": True})
            contacts.append({"party_id": pk, "kind": "email", "value": email, "is_primary": True})
            street = f"{last or name.split()[0]} {pk % 200 + 1}"
            addresses.append({"party_id": pk, "kind": "registered", "street": street, "city": city,
                              "postal_code": f"{pk % 90000 + 10000}", "country": c, "is_primary": True})
        yield parties, contacts, addresses


class Loader:
    """Bulk rows into tables whose secondary indexes are dropped first and built again at the end."""

    def __init__(self, vendor: str, url: str, models: list[Any]) -> None:
        self.vendor, self.url, self.models = vendor, url, models
        self.fields = {m: list(m._meta.concrete_fields) for m in models}
        self.defaults = {m: {f.attname: f.get_default() for f in self.fields[m]} for m in models}
        self.counters = dict.fromkeys(models, 0)
        if vendor == "postgresql":
            import psycopg

            self.conn = psycopg.connect(url)
            # The generated rows are consistent; skip the foreign key triggers during the load.
            self.conn.execute("SET session_replication_role = replica")
            self.conn.execute("SET maintenance_work_mem = '512MB'")
        else:
            self.conn = sqlite3.connect(urlsplit(url).path)
            for pragma in ("synchronous=OFF", "cache_size=-400000", "temp_store=MEMORY", "foreign_keys=OFF"):
                self.conn.execute(f"PRAGMA {pragma}")
        self.indexes = [definition for m in models for definition in self._drop_indexes(m._meta.db_table)]
        self.conn.commit()

    def _drop_indexes(self, table: str) -> list[str]:
        if self.vendor == "postgresql":
            rows = self.conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)", [table, table],
            ).fetchall()
        else:
            rows = self.conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                [table],
            ).fetchall()
        for name, _sql in rows:
            self.conn.execute(f'DROP INDEX "{name}"')
        return [sql for _name, sql in rows]

    def rows(self, model, records: list[dict]) -> Iterator[tuple]:
        fields, defaults = self.fields[model], self.defaults[model]
        counter = self.counters[model]
        for record in records:
            values = []
            for f in fields:
                if f.attname == "id" and "id" not in record:
                    counter += 1
                    values.append(counter)
                else:
                    values.append(record.get(f.attname, defaults[f.attname]))
            yield tuple(values)
        self.counters[model] = counter

    def write(self, model, records: list[dict]) -> None:
        table = model._meta.db_table
        names = [f.column for f in self.fields[model]]
        if self.vendor == "postgresql":
            quoted = ", ".join(f'"{n}"' for n in names)
            with self.conn.cursor() as cursor, cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in self.rows(model, records):
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(names))
            quoted = ", ".join(f'"{n}"' for n in names)
            self.conn.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})',  # noqa: S608 - our names
                                  (tuple(sqlite_value(v) for v in row) for row in self.rows(model, records)))
        self.conn.commit()

    def finish(self) -> None:
        for sql in self.indexes:
            self.conn.execute(sql)
            self.conn.commit()
        if self.vendor == "postgresql":
            for model in self.models:
                table = model._meta.db_table
                top = self.conn.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0]  # noqa: S608 - our table
                self.conn.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [f'"{table}"', top])
            self.conn.commit()
        self.conn.close()


def sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return str(value.astimezone(dt.UTC).replace(tzinfo=None))
    if isinstance(value, bool):
        return int(value)
    return value


def load(vendor: str, url: str, n: int, rep_ids: list[int], *, seed: int) -> None:
    from abonent.customers.models import Address, ContactPoint, Party

    loader = Loader(vendor, url, [Party, ContactPoint, Address])
    for parties, contacts, addresses in generate(n, rep_ids, seed=seed):
        loader.write(Party, parties)
        loader.write(ContactPoint, contacts)
        loader.write(Address, addresses)
        print(f"  loaded {parties[-1]['id']:,} customers", file=sys.stderr, flush=True)
    print("  building indexes", file=sys.stderr, flush=True)
    loader.finish()


def analyze(vendor: str, url: str) -> None:
    """Fresh statistics for the planner. On PostgreSQL VACUUM as well: it sets the visibility map, as
    autovacuum does after a bulk insert (PostgreSQL 13+), so that index-only scans work as in production."""
    if vendor == "postgresql":
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
    else:
        conn = sqlite3.connect(urlsplit(url).path)
        conn.execute("ANALYZE")
        conn.commit()
        conn.close()


# --- measuring -------------------------------------------------------------------------------------

NEXT = re.compile(r'href="([^"]+)"[^>]*rel="next"')


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def timed(client, urls: Callable[[int], str], *, requests: int, warmup: int = 3, expect: str = "") -> dict:
    for i in range(warmup):
        client.get(urls(-1 - i))
    samples = []
    for i in range(requests):
        url = urls(i)
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if expect:
            assert expect in response.content.decode(), (url, expect)
        samples.append(elapsed)
    return {"p50": round(statistics.median(samples), 1), "p95": round(percentile(samples, 95), 1)}


def next_url(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    found = NEXT.search(response.content.decode())
    assert found, f"no next page after {url}"
    return html.unescape(found.group(1))


def group_note(client, url: str) -> str:
    """What the group tree says about its counts: estimated or exact."""
    text = client.get(url).content.decode()
    return "estimated" if 'class="grid-tree-estimate' in text else "exact"


def measure(manager, *, requests: int, deep: int, seed: int) -> dict[str, Any]:
    from django.db.models import Count
    from django.test import Client

    from abonent.customers.models import Party

    client = Client()
    client.force_login(manager)
    results: dict[str, Any] = {}

    # The filter of an agent looking at one rep's customers in one city: the most common values.
    stage = "customer"
    rep, city = (Party.objects.filter(stage=stage, sales_rep__isnull=False).values_list("sales_rep", "city")
                 .annotate(n=Count("pk")).order_by("-n")[:1].get()[:2])
    filtered = f"/customers/?stage={stage}&rep={rep}&city={city}"
    pks = _sample_pks(requests + 3, seed)

    scenarios = {
        "first_page": (lambda i: "/customers/", "rel=\"next\""),
        "filtered": (lambda i: filtered, "<tbody>"),
        "group_by_stage": (lambda i: "/customers/?group=stage", "grid-tree"),
        "group_by_rep": (lambda i: "/customers/?group=rep", "grid-tree"),
        "customer_page": (lambda i: f"/customers/{pks[i]}/", ""),
    }
    for name, (urls, expect) in scenarios.items():
        print(f"  {name}", file=sys.stderr, flush=True)
        figures = timed(client, urls, requests=requests, expect=expect)
        results[f"{name}_p50_ms"], results[f"{name}_p95_ms"] = figures["p50"], figures["p95"]

    print(f"  following {deep} next links", file=sys.stderr, flush=True)
    url = "/customers/"
    start = time.perf_counter()
    for _ in range(deep):
        url = next_url(client, url)
    results["deep_keyset_walk_s"] = round(time.perf_counter() - start, 1)
    figures = timed(client, lambda i: url, requests=requests, expect="rel=\"prev\"")
    results["deep_keyset_p50_ms"], results["deep_keyset_p95_ms"] = figures["p50"], figures["p95"]

    results["filtered_url"] = filtered
    results["group_counts"] = group_note(client, "/customers/?group=stage")
    return results


def _sample_pks(k: int, seed: int) -> list[int]:
    from abonent.customers.models import Party

    top = Party.objects.order_by("-pk").values_list("pk", flat=True).first()
    rng = random.Random(seed)
    found: list[int] = []
    while len(found) < k:
        candidates = [rng.randrange(1, top + 1) for _ in range(k)]
        found += list(Party.objects.active().filter(pk__in=candidates).values_list("pk", flat=True))
    return found[:k]


def machine(vendor: str) -> dict[str, Any]:
    from django.db import connection

    info: dict[str, Any] = {"nproc": os.cpu_count(), "python": platform.python_version()}
    try:
        with open("/proc/meminfo") as meminfo:
            info["ram_gb"] = round(int(meminfo.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        info["database_version"] = cursor.fetchone()[0]
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (after 3 warm-ups)")
    parser.add_argument("--deep", type=int, default=500, help="next links followed before the deep page")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (for --reuse)")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database holding as many customers")
    args = parser.parse_args()

    started = time.perf_counter()
    vendor, url, data_dir = prepare_database(os.environ.get("DATABASE_URL", ""),
                                             name=BENCH_DB, directory="abonent-bench", reuse=args.reuse)
    os.environ.update({"DATABASE_URL": url, "ABONENT_DATA_DIR": str(data_dir), "DEBUG": "0",
                       "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "abonent.settings"})
    os.environ.pop("ABONENT_TESTING", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from abonent.customers.models import Party

    try:
        call_command("migrate", verbosity=0, interactive=False)
        manager, reps = create_staff()
        load_seconds = None
        if not (args.reuse and Party.objects.count() == args.customers):
            if Party.objects.exists():
                raise SystemExit("the benchmark database holds other customers; run without --reuse")
            print(f"loading {args.customers:,} customers into {vendor}", file=sys.stderr, flush=True)
            connections.close_all()
            t0 = time.perf_counter()
            load(vendor, url, args.customers, [r.pk for r in reps], seed=args.seed)
            load_seconds = round(time.perf_counter() - t0, 1)
        connections.close_all()
        analyze(vendor, url)  # after a reuse too: new indexes on expressions need their statistics
        print("measuring", file=sys.stderr, flush=True)
        load_before = os.getloadavg()
        results = measure(manager, requests=args.requests, deep=args.deep, seed=args.seed)
        load_after = os.getloadavg()
        summary = {
            "database": vendor, "customers": args.customers, **results,
            "requests": args.requests, "client": "django.test.Client, in process",
            "load_seconds": load_seconds, "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in load_after], **machine(vendor),
            "total_seconds": round(time.perf_counter() - started, 1),
        }
    finally:
        if not args.keep:
            drop_database(vendor, os.environ["DATABASE_URL"], data_dir, name=BENCH_DB)
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()

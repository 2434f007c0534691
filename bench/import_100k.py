"""Benchmark of issue 4: import a 100,000-row customer file end to end, through the real pipeline and worker.

    .venv/bin/python bench/import_100k.py                      # SQLite, in a temporary directory
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import_100k.py

It builds its own database (SQLite: a file in the temporary directory; PostgreSQL: the database
`abonent_bench_import` on the server of DATABASE_URL, dropped at the end), migrates it, writes a realistic CSV
(CZ, PL, RO and RU customers; 16 columns; about 2 % invalid rows and 1 % repeated customers), starts a real
worker (`abonent run_huey`) and then, timed:

- accept: `job_create` (store and sniff the file) + `job_configure` + `job_start` (queue the job): what a user
  waits for after the upload;
- total: from the upload until the worker has read every row into the database and finished the job.

worker_cpu_seconds is the CPU time the worker (and its helpers) used for the job: on a busy machine it says
what the job costs better than the elapsed time does.

peak_mb is the highest resident memory of the worker with its row-checking helper processes (their peaks
added), or of this process (which generates the file), whichever is higher. The last line printed is one JSON
object; see docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import drop_database, prepare_database  # noqa: E402

BENCH_DB = "abonent_bench_import"

# (share, first names (male, female), last names (male, female), cities, phone formats, postal code format)
COUNTRIES: dict[str, dict[str, Any]] = {
    "CZ": {"share": 40,
           "first": [("Jan", "Jana"), ("Petr", "Petra"), ("Pavel", "Pavla"), ("Tomáš", "Tereza"), ("Jiří", "Eva"),
                     ("Lukáš", "Lucie"), ("Jakub", "Kateřina"), ("Ondřej", "Veronika"), ("Karel", "Zuzana")],
           "last": [("Novák", "Nováková"), ("Svoboda", "Svobodová"), ("Dvořák", "Dvořáková"), ("Černý", "Černá"),
                    ("Procházka", "Procházková"), ("Kučera", "Kučerová"), ("Veselý", "Veselá"),
                    ("Horák", "Horáková"), ("Němec", "Němcová"), ("Růžička", "Růžičková")],
           "cities": ["Praha", "Brno", "Ostrava", "Plzeň", "Liberec", "Olomouc", "České Budějovice", "Zlín"],
           "streets": ["Husova", "Masarykova", "Nádražní", "Palackého", "Školní", "Lidická", "Komenského"],
           "company": ["s.r.o.", "a.s."], "words": ["Alfa", "Elektro", "Stavby", "Agro", "Servis", "Bohemia"]},
    "PL": {"share": 30,
           "first": [("Piotr", "Anna"), ("Krzysztof", "Maria"), ("Tomasz", "Małgorzata"), ("Paweł", "Agnieszka"),
                     ("Łukasz", "Joanna"), ("Michał", "Zofia")],
           "last": [("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"),
                    ("Wójcik", "Wójcik"), ("Lewandowski", "Lewandowska"), ("Dąbrowski", "Dąbrowska")],
           "cities": ["Warszawa", "Kraków", "Wrocław", "Łódź", "Poznań", "Gdańsk", "Szczecin", "Lublin"],
           "streets": ["Długa", "Krótka", "Mickiewicza", "Kościuszki", "Polna", "Leśna", "Ogrodowa"],
           "company": ["sp. z o.o.", "S.A."], "words": ["Polmex", "Budex", "Transpol", "Elektra", "Mazovia"]},
    "RO": {"share": 15,
           "first": [("Andrei", "Maria"), ("Alexandru", "Elena"), ("Mihai", "Ioana"), ("Florin", "Cristina")],
           "last": [("Popescu", "Popescu"), ("Ionescu", "Ionescu"), ("Popa", "Popa"), ("Șerban", "Șerban")],
           "cities": ["București", "Cluj-Napoca", "Timișoara", "Iași", "Constanța", "Brașov"],
           "streets": ["Strada Victoriei", "Strada Unirii", "Bulevardul Eroilor", "Strada Mihai Eminescu"],
           "company": ["S.R.L.", "S.A."], "words": ["Carpați", "Dacia", "Transilvania", "Delta"]},
    "RU": {"share": 15,
           "first": [("Александр", "Анна"), ("Сергей", "Елена"), ("Дмитрий", "Ольга"), ("Иван", "Ирина")],
           "last": [("Иванов", "Иванова"), ("Смирнов", "Смирнова"), ("Кузнецов", "Кузнецова"),
                    ("Попов", "Попова"), ("Волков", "Волкова")],
           "cities": ["Москва", "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Казань"],
           "streets": ["ул. Ленина", "ул. Гагарина", "Садовая ул.", "ул. Пушкина"],
           "company": ["ООО", "АО"], "words": ["Альфа", "Вектор", "Прогресс", "Сибирь"]},
}
HEADERS = ["Customer ID", "Jméno", "Příjmení", "Firma", "E-mail", "Telefon", "Mobil", "IČO", "DIČ", "IBAN",
           "Ulice", "Město", "PSČ", "Země", "Fáze", "Štítky", "Poznámka"]
STAGES = [("prospect", 3), ("lead", 2), ("customer", 8), ("former", 1)]
TAGS = ["VIP", "fibre", "mobile", "tv", "business", "newsletter"]
LATIN = str.maketrans("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "abvgdeezzijklmnoprstufhccss_y_eua")


def ascii_word(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().translate(LATIN))
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum())


# --- valid identifiers ------------------------------------------------------------------------------------


def tax_id(country: str, rng: random.Random) -> str:
    from stdnum.cz import dic
    from stdnum.pl import nip
    from stdnum.ro import cui
    from stdnum.ru import inn

    if country == "CZ":
        body = f"{rng.randrange(1_000_000, 9_000_000)}"
        return body + dic.calc_check_digit_legal(body)
    if country == "PL":
        while True:
            body = f"{rng.randrange(100_000_000, 999_999_999)}"
            check = sum(w * int(d) for w, d in zip((6, 5, 7, 2, 3, 4, 5, 6, 7), body, strict=True)) % 11
            if check < 10 and nip.is_valid(body + str(check)):
                return body + str(check)
    if country == "RO":
        body = f"{rng.randrange(100_000, 9_999_999)}"
        return body + cui.calc_check_digit(body)
    body = f"{rng.randrange(100_000_000, 999_999_999)}"
    return body + inn.calc_company_check_digit(body)


def _iban_check(country: str, bban: str) -> str:
    digits = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{98 - int(digits) % 97:02d}"


def iban(country: str, rng: random.Random) -> str:
    if country == "CZ":
        weights = [6, 3, 7, 9, 10, 5, 8, 4, 2, 1]
        while True:
            digits = [rng.randrange(10) for _ in range(9)]
            last = -sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
            if last < 10:
                account = "".join(map(str, digits)) + str(last)
                break
        bban = rng.choice(["0800", "0100", "0300", "2010"]) + "000000" + account
        return f"CZ{_iban_check('CZ', bban)}{bban}"
    bban = rng.choice(["BTRL", "RNCB", "BRDE"]) + "".join(rng.choices("0123456789", k=16))
    return f"RO{_iban_check('RO', bban)}{bban}"


# Mobile ranges that exist, so that a generated number is a valid one.
MOBILE = {"CZ": ["601", "602", "603", "604", "605", "606", "607", "608", "720", "721", "724", "730", "731", "732",
                 "736", "737", "739", "774", "775", "776", "777", "790", "792", "799"],
          "PL": ["500", "501", "502", "503", "510", "512", "530", "535", "570", "600", "601", "602", "660", "661",
                 "690", "691", "720", "721", "730", "780", "790", "880", "881"],
          "RO": ["721", "722", "723", "724", "731", "740", "744", "745", "751", "755", "760", "766", "770", "786"],
          "RU": ["903", "905", "906", "909", "910", "912", "915", "916", "917", "920", "925", "926", "950", "977"]}


def phone(country: str, rng: random.Random) -> str:
    p = rng.choice(MOBILE[country])
    n = "".join(rng.choices("0123456789", k=7))
    if country == "CZ":
        return rng.choice([f"+420 {p} {n[:3]} {n[3:6]}", f"{p} {n[:3]} {n[3:6]}", f"+420{p}{n[:6]}"])
    if country == "PL":
        return rng.choice([f"+48 {p} {n[:3]} {n[3:6]}", f"{p}{n[:6]}", f"+48 {p}-{n[:3]}-{n[3:6]}"])
    if country == "RO":
        return rng.choice([f"0{p} {n[:3]} {n[3:6]}", f"+40 {p} {n[:3]} {n[3:6]}"])
    return rng.choice([f"+7 {p} {n[:3]}-{n[3:5]}-{n[5:7]}", f"8 ({p}) {n[:3]}-{n[3:5]}-{n[5:7]}"])


# --- the file ---------------------------------------------------------------------------------------------


def generate(path: Path, rows: int, *, seed: int) -> dict[str, int]:
    """Write the CSV; return how many rows were made invalid and how many repeat an earlier customer."""
    rng = random.Random(seed)
    codes = list(COUNTRIES)
    shares = [COUNTRIES[c]["share"] for c in codes]
    stages, weights = zip(*STAGES, strict=True)
    made: list[list[str]] = []
    invalid = repeated = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADERS)
        for index in range(rows):
            if made and rng.random() < 0.01:
                # The same customer again, with a new phone and stage: matched by e-mail, updated.
                row = list(rng.choice(made))
                row[0] = f"B{index:07d}"
                row[14] = rng.choice(stages)
                row[6] = phone(row[13], rng)
                repeated += 1
                writer.writerow(row)
                continue
            country = rng.choices(codes, shares)[0]
            vocab = COUNTRIES[country]
            organisation = rng.random() < 0.25
            female = rng.random() < 0.5
            first = rng.choice(vocab["first"])[female]
            last = rng.choice(vocab["last"])[female]
            company = f"{rng.choice(vocab['words'])} {last.split()[0]} {rng.choice(vocab['company'])}"
            domain = rng.choice(["gmail.com", "seznam.cz", "wp.pl", "yahoo.ro", "mail.ru", "example.org"])
            email = (f"info.{index}@{ascii_word(company.split()[0]) or 'firma'}.example" if organisation
                     else f"{ascii_word(first)}.{ascii_word(last)}.{index}@{domain}")
            tax = tax_id(country, rng) if organisation or rng.random() < 0.1 else ""
            row = [
                f"B{index:07d}", "" if organisation else first, "" if organisation else last,
                company if organisation else "", email, phone(country, rng),
                phone(country, rng) if rng.random() < 0.3 else "", tax,
                f"{country}{tax}" if tax and country in ("CZ", "PL", "RO") else "",
                iban(country, rng) if country in ("CZ", "RO") and rng.random() < 0.5 else "",
                f"{rng.choice(vocab['streets'])} {rng.randrange(1, 200)}", rng.choice(vocab["cities"]),
                f"{rng.randrange(10000, 99999)}", country, rng.choices(stages, weights)[0],
                ", ".join(rng.sample(TAGS, rng.randrange(0, 3))),
                "Wants a call back after 5 pm." if rng.random() < 0.05 else "",
            ]
            if rng.random() < 0.02:
                # Something a person would get wrong: a short phone, a broken e-mail, a wrong check digit.
                broken = rng.randrange(3)
                if broken == 0:
                    row[5] = "12345"
                elif broken == 1:
                    row[4] = email.replace("@", "@@")
                else:
                    row[7] = tax_id(country, rng)[:-1] + "X"
                invalid += 1
            elif len(made) < 20_000:
                made.append(row)
            writer.writerow(row)
    return {"invalid": invalid, "repeated": repeated}


# --- the database and the worker --------------------------------------------------------------------------


def database_ready() -> Any:
    """Migrate the benchmark's database (Django set up on it) and make the manager who imports; return them."""
    from django.core.management import call_command

    from abonent.accounts.models import User
    from abonent.accounts.services import rights_seed_defaults
    from abonent.core.roles import Role

    call_command("migrate", verbosity=0)
    rights_seed_defaults()
    return User.objects.create(username="bench-manager", role=Role.MANAGER, first_name="Bench", language="en",
                               password="!")


def job_queued(path: Path, manager: Any) -> Any:
    """Upload the file, keep the automatic mapping and start the job, as a user would; return the job."""
    from django.utils import timezone

    from abonent.imports import services

    job = services.job_create(source=path, by=manager, now=timezone.now())
    services.job_configure(job=job, mapping=job.mapping, by=manager, country_default="CZ",
                           match_on=["tax_id", "email"], on_duplicate="update")
    return services.job_start(job=job, by=manager, now=timezone.now())


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "abonent"), "run_huey", "--workers", "1", "--delay", "0.05",
               "--max-delay", "0.2", "--no-periodic"]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log.open("wb"),  # noqa: S603 - our own script
                            stderr=subprocess.STDOUT, start_new_session=True)


def peak_mb(pid: int) -> float:
    """The highest resident memory of a process so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The worker's child processes (its row-checking helpers)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the database and the file")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the worker too (the finally below)

    vendor, url, data_dir = prepare_database(os.environ.get("DATABASE_URL", ""),
                                             name=BENCH_DB, directory="abonent-bench-import")
    env = {**os.environ, "DATABASE_URL": url, "ABONENT_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT),
           "DJANGO_SETTINGS_MODULE": "abonent.settings", "LOG_LEVEL": "WARNING"}
    env.pop("ABONENT_TESTING", None)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "ABONENT_DATA_DIR", "DJANGO_SETTINGS_MODULE",
                                           "LOG_LEVEL")})
    import django

    django.setup()
    from abonent.imports.models import ImportJob, JobStatus

    manager = database_ready()
    path = data_dir / "customers-100k.csv"
    began = time.monotonic()
    made = generate(path, args.rows, seed=args.seed)
    print(f"file: {args.rows} rows, {path.stat().st_size / 1e6:.1f} MB, {made}, {time.monotonic() - began:.1f} s",
          file=sys.stderr)

    worker = start_worker(env, data_dir / "worker.log")
    try:
        time.sleep(2)  # the worker is up and polling its queue
        load_before = os.getloadavg()[0]
        worker_cpu = cpu_seconds(worker.pid)
        began = time.monotonic()
        job = job_queued(path, manager)
        accepted = time.monotonic() - began
        print(f"accepted in {accepted:.2f} s, mapping {job.mapping}", file=sys.stderr)
        while True:
            time.sleep(0.1)
            job = ImportJob.objects.get(pk=job.pk)
            if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
                break
            if worker.poll() is not None:
                raise SystemExit(f"the worker stopped: see {data_dir / 'worker.log'}")
        total = time.monotonic() - began
        worker_peak = peak_mb(worker.pid)
        helper_peaks = [peak_mb(c) for c in children(worker.pid)]
        worker_cpu = cpu_seconds(worker.pid) - worker_cpu + sum(cpu_seconds(c) for c in children(worker.pid))
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "database": vendor, "rows": args.rows, "accept_seconds": round(accepted, 2), "total_seconds": round(total, 2),
        "rows_per_second": round(job.total / total),
        "peak_mb": round(max(worker_peak + sum(helper_peaks), own_peak)), "worker_peak_mb": round(worker_peak),
        "helper_peak_mb": [round(p) for p in helper_peaks], "bench_process_peak_mb": round(own_peak),
        "total": job.total, "created": job.created, "updated": job.updated, "skipped": job.skipped,
        "rejected": job.rejected,
        "worker_cpu_seconds": round(worker_cpu, 1), "status": job.status, "invalid_made": made["invalid"],
        "repeated_made": made["repeated"],
        "batch_rows": int(os.environ.get("ABONENT_IMPORT_BATCH_ROWS", "5000")),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2),
    }
    if not args.keep:
        drop_database(vendor, url, data_dir, name=BENCH_DB)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

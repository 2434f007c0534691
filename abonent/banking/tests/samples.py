"""The real statement files in ../shared/data/bank/ (see its SOURCES.md), read by the tests."""

from pathlib import Path

from django.conf import settings

SAMPLES = Path(settings.BASE_DIR).parent / "shared" / "data" / "bank"
if not SAMPLES.is_dir():  # a checkout outside the workspace (a clean clone for CI) reads the workspace's copy
    SAMPLES = Path("/work/shared/data/bank")


def sample(name: str) -> bytes:
    """The bytes of a sample file, found by its name in any of the format folders."""
    found = sorted(SAMPLES.glob(f"*/{name}"))
    assert found, f"sample {name} not found under {SAMPLES}"
    return found[0].read_bytes()


def all_samples() -> list[Path]:
    return sorted(path for path in SAMPLES.glob("*/*") if path.is_file())


# Samples whose balances do not add up, and why: fixtures whose authors cut items out or edited amounts by
# hand. A bank's own file adds up; these import only with the balance check turned off.
UNBALANCED = {
    "spojenet_basic_format.abo": "the header's debits are 6,273.55 (and add up), the two items only 2,430.02",
    "spojenet_extended_format.abo": "the header's debits are 20,000.00 (and add up), the one item 100.00",
    "okane_test2.xml": "anonymised: PRCD 1,000.00 plus entries of +2,000.00, but CLBD 2,000.00",
    "wolph_jejik_abnamro.sta": "statement 1 closes at 876.84 and statement 2 opens at 2,876.84; neither adds up",
    "wolph_jejik_knab.sta": "statement 2 adds up with a debit of 2,760, not the 7,260 written",
    "wolph_jejik_postfinance.sta": "the second part ends 0.20 above its lines (159.40 against 159.60)",
    "wolph_jejik_triodos.sta": "the closing balance is 111.40 above the lines",
    "wolph_raiffeisen-cmi.sta": "anonymised (names and references replaced); the lines are 1,123,264.00 short",
}

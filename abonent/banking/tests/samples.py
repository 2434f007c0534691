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

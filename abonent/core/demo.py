"""Demo data steps: each app registers one in its AppConfig.ready(); `abonent demo` runs them in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DemoStep:
    name: str
    load: Callable[..., str]  # load(*, now) -> one line saying what was loaded; must be safe to run again
    order: int = 100


_steps: list[DemoStep] = []


def demo_step_register(step: DemoStep) -> None:
    if all(s.name != step.name for s in _steps):
        _steps.append(step)
        _steps.sort(key=lambda s: (s.order, s.name))


def demo_steps_run(*, now: datetime) -> list[str]:
    """Run every registered step after the customers are loaded; return their summary lines."""
    return [f"{step.name}: {step.load(now=now)}" for step in _steps]

from datetime import UTC, datetime

from abonent.core import demo
from abonent.core.demo import DemoStep, demo_step_register, demo_steps_run


def test_steps_run_in_order_once_each_with_the_time_given(monkeypatch):
    monkeypatch.setattr(demo, "_steps", [])
    seen = []
    demo_step_register(DemoStep("late", lambda *, now: seen.append(("late", now)) or "2 late", order=20))
    demo_step_register(DemoStep("early", lambda *, now: seen.append(("early", now)) or "1 early", order=10))
    demo_step_register(DemoStep("early", lambda *, now: "again", order=10))
    now = datetime(2026, 11, 22, 8, tzinfo=UTC)

    lines = demo_steps_run(now=now)

    assert lines == ["early: 1 early", "late: 2 late"]
    assert seen == [("early", now), ("late", now)]

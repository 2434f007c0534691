from functools import cached_property

from django.http import HttpRequest

from abonent.notifications.selectors import UNREAD_SHOWN_MAX, notification_unread_count


class Bell:
    """The unread count, read only when a template shows the bell (HTMX fragments never do)."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def unread(self) -> int:
        return notification_unread_count(self.user)

    @property
    def more(self) -> bool:
        return self.unread > UNREAD_SHOWN_MAX


def bell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell": Bell(user)}

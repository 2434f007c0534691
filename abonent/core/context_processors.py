from django.conf import settings
from django.http import HttpRequest

from abonent.core import navigation


def shell(request: HttpRequest) -> dict:
    """The menu and favourites of the signed-in user, for the base template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff_member:
        return {"languages": settings.LANGUAGES}
    entries = navigation.entries_for(user)
    favourites = list(user.favourites.all())
    here = request.get_full_path()
    # The menu entry whose address is the longest start of this page's: /callcenter/calls/7/ is under Calls.
    under = [e.url for e in entries if request.path.startswith(e.url)]
    return {
        "nav_active": max(under, key=len) if under else "",
        "languages": settings.LANGUAGES,
        "nav_work": [e for e in entries if e.section == "work"],
        "nav_admin": [e for e in entries if e.section == "admin"],
        "favourites": favourites,
        "is_favourite": any(f.url == here for f in favourites),
    }

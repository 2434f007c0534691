"""Writes about users, teams, rights and API tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abonent.accounts.models import ApiToken, RoleRight, Team, User
from abonent.accounts.rights import DEFAULT_RIGHTS
from abonent.core.models import Channel
from abonent.core.roles import Access, Role
from abonent.core.services import AbonentError, audit_record, changed_fields


def _django_flags(role: str) -> dict[str, bool]:
    # Django's own admin site is a super-administrator's tool only.
    return {"is_staff": role == Role.SUPERADMIN, "is_superuser": role == Role.SUPERADMIN}


def user_create(
    *, by: User | None, username: str, password: str | None, role: str, email: str = "",
    first_name: str = "", last_name: str = "", language: str = "", phone: str = "", channel: str = Channel.UI,
    now: dt.datetime | None = None,
) -> User:
    """Create a user in a role; with no password the user sets one through the reset e-mail."""
    if role == Role.SUPERADMIN and by is not None and by.role != Role.SUPERADMIN:
        raise AbonentError(_("Only a super-administrator may make someone a super-administrator."))
    if User.objects.filter(username__iexact=username).exists():
        raise AbonentError(_("The user name “%(name)s” is taken.") % {"name": username})
    with transaction.atomic():
        user = User(
            username=username, email=email, first_name=first_name, last_name=last_name, role=role,
            language=language, phone=phone, **_django_flags(role),
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        audit_record(
            actor=by, action="abonent.accounts.user.created", target=user, channel=channel, now=now,
            changes={"role": (None, role), "email": (None, email)},
        )
    return user


def user_update(
    *, by: User, user: User, values: Mapping[str, object], now: dt.datetime | None = None
) -> User:
    """Change a user's name, e-mail, role, language or active flag, and audit what changed."""
    allowed = {"first_name", "last_name", "email", "role", "language", "is_active", "phone"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"user_update cannot change {sorted(unknown)}")
    if by.pk == user.pk and values.get("role", user.role) != user.role:
        raise AbonentError(_("You cannot change your own role."))
    if by.pk == user.pk and not values.get("is_active", True):
        raise AbonentError(_("You cannot deactivate your own account."))
    if user.role == Role.SUPERADMIN and by.role != Role.SUPERADMIN:
        raise AbonentError(_("Only a super-administrator may change a super-administrator."))
    if values.get("role") == Role.SUPERADMIN and by.role != Role.SUPERADMIN:
        raise AbonentError(_("Only a super-administrator may make someone a super-administrator."))
    changes = changed_fields(user, values)
    if not changes:
        return user
    for field, (_old, new) in changes.items():
        setattr(user, field, new)
    fields = list(changes)
    if "role" in changes:
        for flag, value in _django_flags(user.role).items():
            setattr(user, flag, value)
        fields += ["is_staff", "is_superuser"]
    with transaction.atomic():
        user.save(update_fields=fields)
        audit_record(actor=by, action="abonent.accounts.user.changed", target=user, changes=changes, now=now)
    return user


def user_set_language(*, user: User, language: str) -> None:
    """Remember the language the user chose for the interface."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


def team_create(
    *, by: User | None, name: str, leader: User | None = None, members: tuple[User, ...] = (),
    channel: str = Channel.UI,
) -> Team:
    with transaction.atomic():
        team = Team.objects.create(name=name, leader=leader)
        team.members.set(members)
        audit_record(actor=by, action="abonent.accounts.team.created", target=team, channel=channel,
                     changes={"name": (None, name), "members": (None, [str(m) for m in members])})
    return team


def team_update(
    *, by: User, team: Team, name: str, leader: User | None, members: tuple[User, ...],
    now: dt.datetime | None = None,
) -> Team:
    """Rename a team, change its leader or members, and audit what changed."""
    before = {"name": team.name, "leader": str(team.leader) if team.leader else None,
              "members": sorted(str(m) for m in team.members.all())}
    after = {"name": name, "leader": str(leader) if leader else None, "members": sorted(str(m) for m in members)}
    changes = {field: (before[field], after[field]) for field in before if before[field] != after[field]}
    if not changes:
        return team
    with transaction.atomic():
        team.name, team.leader = name, leader
        team.save(update_fields=["name", "leader"])
        team.members.set(members)
        audit_record(actor=by, action="abonent.accounts.team.changed", target=team, changes=changes, now=now)
    return team


def rights_seed_defaults() -> int:
    """Create the default rights that are missing; never overwrite what an administrator set."""
    existing = set(RoleRight.objects.values_list("role", "module"))
    missing = [
        RoleRight(role=role, module=module, access=DEFAULT_RIGHTS.get(role, {}).get(module, Access.NONE))
        for role in Role.values
        if role != Role.SUPERADMIN
        for module in settings.ABONENT_MODULES
        if (role, module) not in existing
    ]
    RoleRight.objects.bulk_create(missing)
    return len(missing)


def right_set(*, by: User, role: str, module: str, access: Access, now: dt.datetime | None = None) -> None:
    """Give a role an access level to a module."""
    if role == Role.SUPERADMIN:
        raise AbonentError(_("A super-administrator always has every right."))
    with transaction.atomic():
        right, _created = RoleRight.objects.select_for_update().get_or_create(role=role, module=module)
        if right.access == access:
            return
        audit_record(
            actor=by, action="abonent.accounts.right.changed", target=right, now=now,
            changes={"access": (Access(right.access).label, Access(access).label)},
        )
        right.access = access
        right.save(update_fields=["access"])


def rights_update(
    *, by: User, rights: Mapping[tuple[str, str], Access], now: dt.datetime | None = None
) -> None:
    """Save a whole matrix of (role, module) → access at once: all of it or, on an error, none."""
    with transaction.atomic():
        for (role, module), access in sorted(rights.items()):
            right_set(by=by, role=role, module=module, access=access, now=now)


def api_token_create(*, user: User, name: str, now: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored."""
    now = now or timezone.now()
    secret = ApiToken.new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name or _("API token"), prefix=secret[:12], digest=ApiToken.digest_of(secret),
            created_at=now,
        )
        audit_record(actor=user, action="abonent.accounts.api_token.created", target=token, now=now)
    return token, secret


def api_token_revoke(*, by: User, token: ApiToken, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit_record(actor=by, action="abonent.accounts.api_token.revoked", target=token, now=now)


def api_token_authenticate(*, secret: str, now: dt.datetime | None = None) -> User | None:
    """Return the active user a live token belongs to, or None."""
    if not secret.startswith("abn_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = now or timezone.now()
    # Writing on every request would serialise the API on one row; a minute's precision is enough.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from abonent.core.roles import ADMIN_ROLES, STAFF_ROLES, Access, Role


class User(AbstractUser):
    """A person who signs in: staff in one of the roles, or a customer of the portal."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT, db_index=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_administrator(self) -> bool:
        return self.role in ADMIN_ROLES

    def module_access(self, module: str) -> Access:
        """Return this user's access level to a module, from the rights of their role."""
        if not self.is_active:
            return Access.NONE
        if self.role == Role.SUPERADMIN:
            return Access.WRITE
        # Cached per role, so a role changed on this object (user_update) is not judged by the old one's rights.
        cached_role, rights = getattr(self, "_rights", (None, {}))
        if cached_role != self.role:
            rights = dict(RoleRight.objects.filter(role=self.role).values_list("module", "access"))
            self._rights = (self.role, rights)
        return Access(rights.get(module, Access.NONE))


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    leader = models.ForeignKey(User, verbose_name=_("leader"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="led_teams")
    members = models.ManyToManyField(User, verbose_name=_("members"), blank=True, related_name="teams")

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoleRight(models.Model):
    """The access a role has to one module."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    module = models.CharField(_("module"), max_length=40)
    access = models.PositiveSmallIntegerField(_("access"), choices=Access.choices, default=Access.NONE)

    class Meta:
        verbose_name = _("role right")
        verbose_name_plural = _("role rights")
        constraints = [models.UniqueConstraint(fields=["role", "module"], name="one_right_per_role_module")]

    def __str__(self) -> str:
        return f"{self.role}:{self.module}={self.access}"


class ApiToken(models.Model):
    """A secret an integration sends as `Authorization: Bearer ...`; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_secret() -> str:
        return "abn_" + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

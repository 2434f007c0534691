"""The roles a person can have in Abonent, and the access levels a role has to a module."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    AGENT = "agent", _("Call-center agent")
    SALES_REP = "sales_rep", _("Sales rep")
    MANAGER = "manager", _("Manager")
    ADMINISTRATOR = "administrator", _("Administrator")
    SUPERADMIN = "superadmin", _("Super-administrator")


STAFF_ROLES = frozenset({Role.AGENT, Role.SALES_REP, Role.MANAGER, Role.ADMINISTRATOR, Role.SUPERADMIN})
ADMIN_ROLES = frozenset({Role.ADMINISTRATOR, Role.SUPERADMIN})


class Access(models.IntegerChoices):
    NONE = 0, _("No access")
    READ = 1, _("Read")
    WRITE = 2, _("Read and write")

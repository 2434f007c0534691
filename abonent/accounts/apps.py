from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "abonent.accounts"
    label = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from abonent.core.navigation import NavEntry, register

        post_migrate.connect(_seed_rights, sender=self)

        register(NavEntry("accounts", _("Users"), "accounts:user_list", "people", section="admin", order=10))
        register(NavEntry("accounts", _("Teams"), "accounts:team_list", "diagram-3", section="admin", order=15))
        register(NavEntry("accounts", _("Roles and rights"), "accounts:rights", "shield-lock", section="admin",
                          order=20))


def _seed_rights(**kwargs) -> None:
    """Give every role its default rights to modules that are new since the last migration."""
    from abonent.accounts.services import rights_seed_defaults

    rights_seed_defaults()

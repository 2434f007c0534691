"""Parties (people and organisations) and what belongs directly to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Party", "PartyKind", "Stage"]


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Stage(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    LEAD = "lead", _("Lead")
    CUSTOMER = "customer", _("Customer")
    FORMER = "former", _("Former customer")


class Party(models.Model):
    """A person or an organisation Abonent follows: prospect, lead, customer or former customer."""

    kind = models.CharField(_("kind"), max_length=12, choices=PartyKind.choices, default=PartyKind.PERSON)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    tax_id = models.CharField(_("tax ID"), max_length=20, blank=True, db_index=True)
    vat_id = models.CharField(_("VAT number"), max_length=20, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.PROSPECT,
                             db_index=True)
    sales_rep = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sales rep"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="parties")
    external_ref = models.CharField(_("external ID"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(fields=["external_ref"], condition=~models.Q(external_ref=""),
                                    name="party_external_ref_unique"),
        ]
        indexes = [models.Index(fields=["name", "id"], name="party_name_keyset")]

    def __str__(self) -> str:
        return self.name

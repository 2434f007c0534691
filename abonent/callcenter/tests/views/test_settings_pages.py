"""Administrators' pages: options, outcomes in five languages, types, classifications, zones; campaigns."""

import pytest

from abonent.callcenter.models import CallOutcome, Campaign, CampaignTarget, Classification, LogLevel, RequestSettings
from abonent.callcenter.tests.factories import CampaignFactory, ClassificationFactory
from abonent.core.models import AuditEntry
from abonent.core.roles import Role
from abonent.customers.models import Stage
from abonent.customers.tests.factories import PartyFactory


def test_an_administrator_changes_the_options(client_as):
    client = client_as(Role.ADMINISTRATOR)

    client.post("/callcenter/settings/", {"mail_client_on_allocation": "on", "finalise_needs_approval": "on",
                                          "warn_untouched_hours": "8", "log_level": "detailed"})

    settings = RequestSettings.load()
    assert (settings.mail_client_on_allocation, settings.finalise_needs_approval, settings.warn_untouched_hours,
            settings.log_level, settings.warn_finish_passed) == (True, True, 8, LogLevel.DETAILED, False)
    assert AuditEntry.objects.filter(action="abonent.callcenter.settings.changed").exists()


@pytest.mark.parametrize("path", ["/callcenter/settings/", "/callcenter/settings/outcomes/",
                                  "/callcenter/settings/types/", "/callcenter/settings/classifications/",
                                  "/callcenter/settings/zones/"])
def test_only_administrators_open_the_settings(client_as, path):
    assert client_as(Role.MANAGER).get(path).status_code == 403
    assert client_as(Role.ADMINISTRATOR).get(path).status_code == 200


def test_an_outcome_is_named_in_every_language(client_as):
    client = client_as(Role.ADMINISTRATOR)

    client.post("/callcenter/settings/outcomes/", {
        "row-code": "callback", "row-order": "10", "row-active": "on", "row-needs_callback": "on",
        "row-label_en": "Call back", "row-label_cs": "Zavolat znovu", "row-label_pl": "", "row-label_ro": "Revenire",
        "row-label_ru": "Перезвонить",
    })

    outcome = CallOutcome.objects.get()
    assert outcome.label == {"en": "Call back", "cs": "Zavolat znovu", "ro": "Revenire", "ru": "Перезвонить"}
    assert outcome.needs_callback
    assert (outcome.label_in("cs"), outcome.label_in("pl")) == ("Zavolat znovu", "Call back")


def test_classifications_take_their_level_from_their_parent_and_stop_at_three(client_as):
    client = client_as(Role.ADMINISTRATOR)
    third = ClassificationFactory(parent=ClassificationFactory(parent=ClassificationFactory()))

    client.post("/callcenter/settings/classifications/", {"row-name": "Slow", "row-parent": third.parent_id,
                                                          "row-order": "0", "row-active": "on"})
    page = client.post("/callcenter/settings/classifications/", {
        "row-name": "Too deep", "row-parent": third.pk, "row-order": "0", "row-active": "on"})

    assert Classification.objects.get(name="Slow").level == 3
    assert not Classification.objects.filter(name="Too deep").exists()
    assert page.status_code == 200


def test_a_manager_adds_customers_to_a_campaign_and_agents_only_see_it(client_as):
    campaign = CampaignFactory()
    PartyFactory(stage=Stage.LEAD, country="CZ")
    PartyFactory(stage=Stage.LEAD, country="PL")
    PartyFactory(stage=Stage.CUSTOMER, country="CZ")
    manager = client_as(Role.MANAGER)

    manager.post(f"/callcenter/campaigns/{campaign.pk}/", {"add-stage": ["lead"], "add-country": "cz",
                                                           "add-submit": "1"})

    assert CampaignTarget.objects.filter(campaign=campaign).count() == 1
    agent = client_as(Role.AGENT)
    assert agent.get("/callcenter/campaigns/").status_code == 200
    assert agent.post("/callcenter/campaigns/", {"campaign-name": "Mine"}).status_code == 403
    assert not Campaign.objects.filter(name="Mine").exists()


def test_a_manager_creates_a_campaign(client_as):
    client_as(Role.MANAGER).post("/callcenter/campaigns/", {"campaign-name": "Autumn TV", "campaign-active": "on",
                                                            "campaign-starts_on": "2026-09-01"})

    assert Campaign.objects.get().name == "Autumn TV"

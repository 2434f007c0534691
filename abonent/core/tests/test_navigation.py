"""The menu's links."""

from django.urls import clear_script_prefix, reverse, set_script_prefix

from abonent.core.navigation import NavEntry


def test_a_menu_link_follows_the_mount_point_of_the_request():
    entry = NavEntry(module="customers", label="Customers", url_name="customers:list", icon="people")

    plain = entry.url
    set_script_prefix("/crm/")
    try:
        mounted = entry.url
    finally:
        clear_script_prefix()

    assert plain == reverse("customers:list")
    assert mounted == "/crm" + reverse("customers:list")
    assert entry.url == plain

"""Read what a customers list page shows, as a user would."""

import re
from html import unescape


def names_on(response) -> list[str]:
    """The names in the list's rows (the first column), in order; [] when the list is empty."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    if 'id="grid-table"' not in page:
        return []
    body = page.split('id="grid-table"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    # The name links to the customer's page.
    return [unescape(name) for name in re.findall(r'<tr><td>(?:<a href="[^"]*">)?([^<]*)(?:</a>)?</td>', body)]


def link(response, rel: str) -> str:
    """The address of the "next" or "prev" page link."""
    match = re.search(rf'href="([^"]*)"[^>]*rel="{rel}"', response.content.decode())
    assert match, f"no {rel} link"
    return unescape(match.group(1))


def text(response) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())

from django import template

register = template.Library()


@register.filter
def href(query: str | None, url: str) -> str:
    """{{ query|href:list_url }}: the list's address with a query string, without a dangling "?"."""
    return f"{url}?{query}" if query else url

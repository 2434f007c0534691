"""Custom attributes: declared by administrators, effective-dated values, several languages."""

__all__: list[str] = []

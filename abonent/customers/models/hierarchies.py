"""Hierarchies: independent unlimited-depth trees (organisation, billing, discounts, payments, ...)."""

__all__: list[str] = []

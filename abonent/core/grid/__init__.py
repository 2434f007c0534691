"""The list engine: one declaration per list gives filters, grouping, keyset paging, export and saved views.

See docs/lists.md.
"""

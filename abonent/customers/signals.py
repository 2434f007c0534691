"""What the customers app tells the apps above it."""

from django.dispatch import Signal

# Sent inside the merge transaction with survivor=, merged=, by=, channel=, now=: an app that keeps rows
# pointing at a party (contracts, calls, tickets) moves the merged party's rows to the survivor.
party_merged = Signal()

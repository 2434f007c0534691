"""What the contracts app tells the apps above it."""

from django.dispatch import Signal

# Sent inside the transaction of every change that can change what a contract costs or when it ends
# (activation, suspension, resumption, termination, a line or a dates change, a discount at a node), with
# contract=, by=, channel=, now=. Billing regenerates the contract's payment schedule on it.
contract_changed = Signal()

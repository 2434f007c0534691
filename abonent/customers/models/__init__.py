"""The customer record's models, one module per concept."""

from abonent.customers.models.attributes import *  # noqa: F403
from abonent.customers.models.hierarchies import *  # noqa: F403
from abonent.customers.models.party import *  # noqa: F403

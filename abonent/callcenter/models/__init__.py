"""The call center's models: calls and their outcomes, service requests and what they are filed under."""

from abonent.callcenter.models.calls import *  # noqa: F403
from abonent.callcenter.models.reference import *  # noqa: F403
from abonent.callcenter.models.requests import *  # noqa: F403

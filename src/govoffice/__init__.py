"""govoffice: the paperwork of a Chinese government office (办文、办会、办事) as
event-sourced aggregates.

>>> import govoffice
>>> office = govoffice.open_office("memory")
"""

from govoffice.application.office import Office
from govoffice.bootstrap import open_office
from govoffice.domain.errors import GovOfficeError

__all__ = ["GovOfficeError", "Office", "open_office"]
__version__ = "0.1.0"

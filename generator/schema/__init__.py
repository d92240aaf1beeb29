"""Content schemas: typing and checking of content files, and their JSON Schema."""

from .content import AGENCY, GUIDE, report_spec
from .spec import Context, parse_cell

__all__ = ["AGENCY", "GUIDE", "Context", "parse_cell", "report_spec"]

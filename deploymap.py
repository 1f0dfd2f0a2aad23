"""deploymap for notebooks and scripts: ``import deploymap``, then ``deploymap.read_records(...)`` and
``deploymap.Map(...)``. The functions live in output/api.py; this one file makes the short name work."""
from geo.errors import RecordError
from output.api import Map, read_records

__all__ = ["Map", "RecordError", "read_records"]

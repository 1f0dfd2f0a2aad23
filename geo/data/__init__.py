"""Data shipped with deploymap: the installations gazetteer, Natural Earth country polygons and
reference places (built by build_countries.py and build_places.py)."""

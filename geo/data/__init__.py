"""Data shipped with deploymap: the installations gazetteer and Natural Earth country polygons."""

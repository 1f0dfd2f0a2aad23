"""One builder per layer kind: GeoDataFrame + options -> folium FeatureGroup + legend entries.

Knows nothing of files or click.
"""
from __future__ import annotations

from layers.bases import bases
from layers.commands import commands
from layers.countries import countries
from layers.deployments import deployments
from layers.events import events
from layers.itineraries import itineraries
from layers.ranges import ranges

BUILDERS = {
    "bases": bases,
    "deployments": deployments,
    "commands": commands,
    "events": events,
    "itineraries": itineraries,
    "countries": countries,
    "ranges": ranges,
}

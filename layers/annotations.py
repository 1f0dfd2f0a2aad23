"""Annotations: a desk's own words on the map ("Taiwan Strait", "DMZ"), at a point or beside a
record, with an optional leader line to the place they name. The words are labels placed with the
others (layers/labels.py), before any of them: never over a record's label, marker or a meeting's date."""
from __future__ import annotations

from typing import Any

from geo.geodesic import normalise
from layers.datalayer import DataLayer, Group, Layer
from layers.labels import Mark

TITLE = "Annotations"


def annotations(notes: list[dict[str, Any]], centre: float) -> Layer:
    """Each note ({text, lat, lon, leader: [lat, lon] or None, beside: whether it sits at a record})
    as a label on the map (on its point or nudged off it, or beside the record), listed in the GeoJSON."""
    drawn = []
    for n, note in enumerate(notes, 1):
        at = [round(note["lat"], 5), round(normalise(note["lon"], centre), 5)]
        leader = note.get("leader")
        drawn.append({"id": f"annotation-{n}", "text": note["text"], "at": at, "beside": note.get("beside", False),
                      "leader": [round(leader[0], 5), round(normalise(leader[1], centre), 5)] if leader else None})
    group = Group(name=TITLE, control=False)
    group.add_child(DataLayer({"title": TITLE, "type": "notes", "notes": drawn}))

    def features() -> list[dict[str, Any]]:
        out = []
        for note in drawn:
            out.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": note["at"][::-1]},
                        "properties": {"layer": TITLE, "id": note["id"], "text": note["text"]}})
            if note["leader"]:
                out.append({"type": "Feature", "geometry": {"type": "LineString",
                                                            "coordinates": [note["at"][::-1], note["leader"][::-1]]},
                            "properties": {"layer": TITLE, "id": note["id"], "text": note["text"], "leader": True}})
        return out

    marks = [Mark(note["id"], *note["at"], note["text"], (n,), style="aside" if note["beside"] else "note",
                  fixed=True) for n, note in enumerate(drawn)]
    return Layer(group, [], features, len(drawn), marks=marks)

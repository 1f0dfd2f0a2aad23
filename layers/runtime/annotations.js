/* A desk's words on the map ("Taiwan Strait"): a label placed with the others at build time
 * (labels.js), at a point or beside a record's marker, with a thin leader line to the place it names.
 * Here: the leader, and the note's point as an empty marker (a fit makes room for the note's label
 * when its point is in view, runtime/view.js). */
function drawNotes(group, spec) {
  spec.notes.forEach(function (note) {
    if (note.leader) {
      group.addLayer(L.polyline([note.at, note.leader], {
        color: "#444", weight: 1, opacity: 0.8, interactive: false, className: "dm-leader"
      }));
    }
    group.addLayer(L.marker(note.at, {
      icon: L.divIcon({ html: "", className: "dm-icon dm-note-icon", iconSize: [0, 0], iconAnchor: [0, 0] }),
      interactive: false, keyboard: false, noteId: note.id
    }));
  });
  return spec.notes.length;
}

DRAW.notes = drawNotes;

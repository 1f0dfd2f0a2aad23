/* A desk's words on the map ("Taiwan Strait"): text at a point, or beside a record's marker, with a
 * thin leader line to the place it names. Drawn as text, never as markup. */
function drawNotes(group, spec) {
  spec.notes.forEach(function (note) {
    if (note.leader) {
      group.addLayer(L.polyline([note.at, note.leader], {
        color: "#444", weight: 1, opacity: 0.8, interactive: false, className: "dm-leader"
      }));
    }
    var words = el("div", "dm-note" + (note.beside ? " dm-note-beside" : ""), note.text);
    group.addLayer(L.marker(note.at, {
      icon: L.divIcon({ html: words, className: "dm-icon dm-note-icon", iconSize: [0, 0], iconAnchor: [0, 0] }),
      interactive: false, keyboard: false, noteId: note.id
    }));
  });
  return spec.notes.length;
}

DRAW.notes = drawNotes;

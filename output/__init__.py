"""The map document, its files (HTML, embed snippet, GeoJSON, PNG preview) and the click CLI."""

"""The map document, its files (HTML, embed snippet, GeoJSON, previews, PDF, share image) and the click CLI."""

"""Records to GeoDataFrames: read, validate, geocode, and derived geometry.

Knows nothing of folium, HTML or click.
"""

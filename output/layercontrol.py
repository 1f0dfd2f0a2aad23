"""The layer list: folium's LayerControl, with layers added one call at a time in their order.

folium writes the layers as a JavaScript object literal keyed by title, where a title such as
"__proto__" sets the object's prototype instead of naming a layer, and the control breaks the page.
"""
from __future__ import annotations

import folium
from folium.template import Template


class LayerControl(folium.LayerControl):
    """folium.LayerControl that hands Leaflet each layer by position, never through a title-keyed object."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            let {{ this.get_name() }} = L.control.layers(null, null, {{ this.options|tojavascript }});
            {%- for key, val in this.base_layers.items() %}
            {{ this.get_name() }}.addBaseLayer({{ val }}, {{ key|tojson }});
            {%- endfor %}
            {%- for key, val in this.overlays.items() %}
            {{ this.get_name() }}.addOverlay({{ val }}, {{ key|tojson }});
            {%- endfor %}
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

/* The timeline: a slider over the records' dates that shows each record while it holds, routes
 * growing leg by leg, and a count per layer that follows. Dates are ISO text as the sources give
 * them ('2024', '2024-07', '2024-07-28'); validOn mirrors geo/dates.py's valid_on, the rule the
 * build's as_of uses, and tests run both on one table of cases. */
function pad2(n) { return (n < 10 ? "0" : "") + n; }

/* The first and last day (ISO) a date stands for: '2024-07' is 2024-07-01 to 2024-07-31. */
function dayInterval(iso) {
  var p = iso.split("-");
  if (p.length === 3) return [iso, iso];
  if (p.length === 2) {
    var last = new Date(Date.UTC(+p[0], +p[1], 0)).getUTCDate();
    return [iso + "-01", iso + "-" + pad2(last)];
  }
  return [iso + "-01-01", iso + "-12-31"];
}

/* Whether a record from start to end (either may be missing) is on the map on day (ISO YYYY-MM-DD):
 * a change announced before it starts is on it from its announcement. */
function validOn(start, end, day, announced) {
  var begins = [start, announced].filter(Boolean).map(function (d) { return dayInterval(d)[0]; }).sort()[0];
  return (!begins || begins <= day) && (!end || day <= dayInterval(end)[1]);
}

function dayNumber(iso) {
  var p = iso.split("-");
  return Date.UTC(+p[0], +p[1] - 1, +p[2]) / 86400000;
}

function isoDay(n) {
  var d = new Date(n * 86400000);
  return d.getUTCFullYear() + "-" + pad2(d.getUTCMonth() + 1) + "-" + pad2(d.getUTCDate());
}

/* A day in words in the page's language, as the build writes one: the locale's long date pattern
 * (Babel's, 'd MMMM y', 'y年M月d日', "d 'de' MMMM 'de' y") filled with the day, the month and its name. */
function dayWords(iso, words) {
  var p = iso.split("-");
  return words.pattern.replace(/'([^']*)'|y+|M+|d+/g, function (token, quoted) {
    if (quoted !== undefined) return quoted;
    if (token[0] === "y") return p[0];
    if (token[0] === "d") return token.length > 1 ? p[2] : String(+p[2]);
    return token.length > 2 ? words.months[+p[1] - 1] : token.length > 1 ? p[1] : String(+p[1]);
  });
}

/* A message from the page's words with its {fields} filled. */
function fill(message, values) {
  return message.replace(/\{(\w+)\}/g, function (all, key) { return values[key]; });
}

function button(text, label) {
  var b = el("button", "dm-tl-button", text);
  b.type = "button";
  b.setAttribute("aria-label", label);
  return b;
}

/* Every record's Leaflet layer and every route in each map layer, kept so they can come and go. */
function timedLayers() {
  var out = [];
  dm.layers.forEach(function (entry, title) {
    var items = [];
    entry.group.eachLayer(function (layer) { items.push(layer); });
    out.push({ title: title, group: entry.group, items: items });
  });
  return out;
}

function showIn(group, layer, shown) {
  if (shown && !group.hasLayer(layer)) group.addLayer(layer);
  if (!shown && group.hasLayer(layer)) group.removeLayer(layer);
}

/* How many legs of a route have happened on day: a leg shows when the events at both its ends have. */
function legsOn(line, day) {
  var n = 0;
  for (var k = 1; k < line.stops.length; k++) {
    if (!validOn(line.stops[k - 1], null, day) || !validOn(line.stops[k], null, day)) break;
    n = k;
  }
  return n;
}

/* Before and after: two buttons that set the slider to either date (its last day), pressed while it stands there. */
function compareButtons(dates, panel, words) {
  if (!dates.length) return [];
  var box = el("div", "dm-tl-compare");
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", words.compare);
  var out = [words.before, words.after].map(function (word, i) {
    var b = el("button", "dm-tl-button dm-tl-state", fill(word, { date: dayWords(dayInterval(dates[i])[1], words) }));
    b.type = "button";
    b.day = dayInterval(dates[i])[1];
    box.appendChild(b);
    return b;
  });
  panel.insertBefore(box, panel.firstChild);
  return out;
}

dm.timeline = function (data) {
  /* Whether the record is on the map on day (records without dates always are). */
  function recordOn(id, day) {
    var r = data.records[id];
    return !r || validOn(r[0], r[1], day, r[2]);
  }

  /* A link between records shows while both ends hold. */
  function linkOn(ids, day) {
    return ids.every(function (id) { return recordOn(id, day); });
  }

  var panel = document.getElementById("dm-timeline");
  var first = dayNumber(data.span[0]), last = dayNumber(data.span[1]);
  var layers = timedLayers();
  var marks = data.events.map(function (d) { return dayNumber(dayInterval(d)[0]); });
  var timer = null;

  var slider = el("input", "dm-tl-slider");
  slider.type = "range";
  slider.id = "dm-tl-slider";
  slider.min = String(first);
  slider.max = String(last);
  slider.step = "1";
  slider.value = String(last);
  var words = data.words, label = el("label", "dm-tl-label", words.date);
  label.htmlFor = slider.id;
  var ticks = el("datalist");
  ticks.id = "dm-tl-events";
  marks.forEach(function (m, i) {
    var o = el("option");
    o.value = String(m);
    o.label = data.events[i];
    ticks.appendChild(o);
  });
  slider.setAttribute("list", ticks.id);
  var now = el("output", "dm-tl-date");
  now.setAttribute("aria-live", "polite");
  now.htmlFor = slider.id;
  var back = button("\u25C0", words.previous_event), play = button(words.play, words.play);
  var next = button("\u25B6", words.next_event);
  play.setAttribute("aria-pressed", "false");
  var counts = el("ul", "dm-tl-counts");
  counts.setAttribute("aria-label", words.shown);
  [label, slider, ticks, back, play, next, now, counts].forEach(function (e) { panel.appendChild(e); });
  var states = compareButtons(data.compare, panel, words);
  panel.hidden = false;
  // the panel took room from the map: Leaflet measures again and the published view fits again
  dm.map.invalidateSize({ animate: false });
  dm.home();

  function set(n) {
    n = Math.max(first, Math.min(last, n));
    var day = isoDay(n);
    slider.value = String(n);
    slider.setAttribute("aria-valuetext", dayWords(day, words));
    now.textContent = dayWords(day, words);
    while (counts.firstChild) counts.removeChild(counts.firstChild);
    layers.forEach(function (entry) {
      var shown = 0, counted = false;
      entry.items.forEach(function (layer) {
        var o = layer.options || {};
        counted = counted || o.recordId !== undefined || !!(o.line && o.line.stops);
        if (o.recordId !== undefined && data.records[o.recordId]) {
          var on = recordOn(o.recordId, day);
          showIn(entry.group, layer, on);
          shown += on ? 1 : 0;
        } else if (o.recordId !== undefined) {
          shown += 1;
        } else if (o.line && o.line.stops) {
          var legs = legsOn(o.line, day);
          showIn(entry.group, layer, legs > 0);
          if (legs > 0) layer.setLatLngs(o.line.coords.slice(0, o.line.ends[legs - 1]));
          shown += legs > 0 ? 1 : 0;
        } else if (o.leg !== undefined && o.route.stops) {
          showIn(entry.group, layer, o.leg < legsOn(o.route, day));
        } else if ((o.line || o.route || {}).records) {
          showIn(entry.group, layer, linkOn((o.line || o.route).records, day));
        }
      });
      if (!counted) return;  // the base map and countries are no records
      var item = el("li", null, entry.title + ": " + thousands(shown));
      item.setAttribute("data-layer", entry.title);
      counts.appendChild(item);
    });
    states.forEach(function (b) { b.setAttribute("aria-pressed", String(b.day === day)); });
    dm.day = day;
    dm.onMap = function (id) { return recordOn(id, day); };
    // labels.js redraws on this event: the labels of records that came or went follow them
    dm.map.fire("overlayadd");
  }

  function step(direction) {
    var n = +slider.value;
    var to = direction > 0 ? marks.filter(function (m) { return m > n; })[0]
      : marks.filter(function (m) { return m < n; }).pop();
    if (to !== undefined) set(to);
    return to !== undefined;
  }

  function stop() {
    clearTimeout(timer);
    timer = null;
    play.setAttribute("aria-pressed", "false");
  }

  function tick() {
    timer = step(1) ? setTimeout(tick, dm.playDelay) : (stop(), null);
  }

  slider.addEventListener("input", function () { stop(); set(+slider.value); });
  back.addEventListener("click", function () { stop(); step(-1); });
  next.addEventListener("click", function () { stop(); step(1); });
  play.addEventListener("click", function () {
    if (timer) return stop();
    if (!marks.length) return;
    // from the start when the slider stands at or past the last event
    if (+slider.value >= marks[marks.length - 1]) set(marks[0] - (marks[0] > first ? 1 : 0));
    play.setAttribute("aria-pressed", "true");
    // its name and words stay Play (a toggle): aria-pressed, drawn pressed, says it is playing
    timer = setTimeout(tick, dm.playDelay);
  });
  dm.setDay = function (iso) { stop(); set(dayNumber(iso)); };
  states.forEach(function (b) { b.addEventListener("click", function () { dm.setDay(b.day); }); });
  set(last);
};

dm.playDelay = 1200;  // ms between events while playing; tests set it lower
dm.validOn = validOn;

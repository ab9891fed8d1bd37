/* SiteChoropleth: what the maps colouring districts by a figure share, and the legend of levels.
 *
 * classify(values, count): equal-interval classes (default five) of the values (null for no figure):
 *   {classes: [class index or null, one per value], ranges: [[from, to], …]}; values all alike make one range.
 * classifyFeatures(features, valueOf, count): the same for GeoJSON features, {classOf(feature) -> class index or
 *   "none", ranges}; Leaflet's L.geoJSON hands the style function these same feature objects.
 * rangeLegend(box, ranges, format, swatchClass): one item a range, "<swatch class-i> from – to".
 * levelLegend(box, legend, levelName, format): the hazard legend API's classes, highest first, each
 *   "<swatch in the tiles' colour> Level: from – to" (the top one "≥ from"); format(value, units) writes a value. */
(function () {
  "use strict";
  var Site = window.Site;

  function classify(values, count) {
    count = count || 5;
    var present = values.filter(function (v) { return v !== null && v !== undefined; });
    if (!present.length) { return { classes: values.map(function () { return null; }), ranges: [] }; }
    var low = Math.min.apply(null, present);
    var high = Math.max.apply(null, present);
    var step = (high - low) / count;
    function absent(v) { return v === null || v === undefined; }
    if (step === 0) { return { classes: values.map(function (v) { return absent(v) ? null : 0; }), ranges: [[low, high]] }; }
    var ranges = [];
    for (var i = 0; i < count; i += 1) { ranges.push([low + i * step, low + (i + 1) * step]); }
    return {
      classes: values.map(function (v) { return absent(v) ? null : Math.min(Math.floor((v - low) / step), count - 1); }),
      ranges: ranges
    };
  }

  function classifyFeatures(features, valueOf, count) {
    var result = classify(features.map(valueOf), count);
    return {
      ranges: result.ranges,
      classOf: function (feature) {
        var klass = result.classes[features.indexOf(feature)];
        return klass === null || klass === undefined ? "none" : klass;
      }
    };
  }

  function rangeLegend(box, ranges, format, swatchClass) {
    ranges.forEach(function (range, i) {
      box.appendChild(Site.el("li", {}, [Site.el("span", { class: (swatchClass || "swatch") + " class-" + i, "aria-hidden": "true" }),
        " " + format(range[0]) + " – " + format(range[1])]));
    });
  }

  function levelLegend(box, legend, levelName, format) {
    format = format || function (value) { return String(value); };
    legend.classes.slice().reverse().forEach(function (entry) {
      var swatch = Site.el("span", { class: "swatch level--" + (entry.level || "none"), "aria-hidden": "true" });
      swatch.style.backgroundColor = "rgba(" + entry.rgba.slice(0, 3).join(",") + "," + (entry.rgba[3] / 255).toFixed(2) + ")";
      var range = entry.to === null ? "≥ " + format(entry.from, legend.units) : format(entry.from) + " – " + format(entry.to, legend.units);
      box.appendChild(Site.el("li", { dataset: { level: entry.level } }, [swatch, levelName(entry.level) + ": " + range]));
    });
  }

  window.SiteChoropleth = { classify: classify, classifyFeatures: classifyFeatures, rangeLegend: rangeLegend, levelLegend: levelLegend };
})();

/* Charts: small SVG bar and line charts drawn from numbers, styled by CSS classes (no inline style, so they work
 * under a strict Content-Security-Policy), each followed by its numbers as a table for screen readers and
 * for copying. Charts.bars (grouped vertical bars), Charts.line, Charts.hbars (horizontal bars). */
(function () {
  "use strict";
  var Site = window.Site;
  var SVG = "http://www.w3.org/2000/svg";
  var WIDTH = 560;
  var HEIGHT = 260;
  var MARGIN = { top: 16, right: 12, bottom: 48, left: 44 };

  function svgEl(tag, attributes, text) {
    var element = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (name) { element.setAttribute(name, String(attributes[name])); });
    if (text !== undefined) { element.textContent = String(text); }
    return element;
  }

  /* The top of the axis: four equal ticks of a round size (1, 2, 2.5 or 5 times a power of ten). */
  function niceMax(value) {
    if (!(value > 0)) { return 1; }
    return niceStep(value / 4) * 4;
  }

  function niceStep(value) {
    var power = Math.pow(10, Math.floor(Math.log10(value)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i += 1) {
      if (steps[i] * power >= value) { return steps[i] * power; }
    }
    return 10 * power;
  }

  function frame(container, label, height) {
    var body = Site.clear(container);
    var svg = svgEl("svg", { viewBox: "0 0 " + WIDTH + " " + height, role: "img", "aria-label": label, class: "chart__svg" });
    svg.appendChild(svgEl("title", {}, label));
    body.appendChild(svg);
    return svg;
  }

  function yAxis(svg, max, height, format) {
    var axis = svgEl("g", { class: "axis axis--y" });
    var plotHeight = height - MARGIN.top - MARGIN.bottom;
    for (var i = 0; i <= 4; i += 1) {
      var value = (max / 4) * i;
      var y = MARGIN.top + plotHeight - (plotHeight * i) / 4;
      axis.appendChild(svgEl("line", { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y, y2: y, "stroke-opacity": i === 0 ? 1 : 0.3 }));
      axis.appendChild(svgEl("text", { x: MARGIN.left - 6, y: y + 4, "text-anchor": "end" }, format(value)));
    }
    svg.appendChild(axis);
  }

  function xLabels(svg, categories, step, height) {
    var axis = svgEl("g", { class: "axis axis--x" });
    var every = Math.max(1, Math.ceil(categories.length / 12));
    categories.forEach(function (name, i) {
      if (i % every !== 0) { return; }
      var x = MARGIN.left + step * (i + 0.5);
      axis.appendChild(svgEl("text", { x: x, y: height - MARGIN.bottom + 16, "text-anchor": "middle" }, name));
    });
    svg.appendChild(axis);
  }

  function table(container, caption, head, rows) {
    var details = Site.el("details", {}, [Site.el("summary", { text: gettext("The numbers") })]);
    var body = Site.el("tbody");
    rows.forEach(function (row) {
      body.appendChild(Site.el("tr", {}, row.map(function (cell, i) {
        return Site.el(i === 0 ? "th" : "td", { class: i === 0 ? "" : "number", scope: i === 0 ? "row" : null, text: cell });
      })));
    });
    details.appendChild(Site.el("table", { class: "results-table" }, [
      Site.el("caption", { class: "visually-hidden", text: caption }),
      Site.el("thead", {}, [Site.el("tr", {}, head.map(function (name) { return Site.el("th", { scope: "col", text: name }); }))]),
      body
    ]));
    container.appendChild(details);
  }

  function empty(container) {
    Site.clear(container).appendChild(Site.el("p", { class: "chart-empty", text: gettext("No reports in this scope.") }));
  }

  function identity(value) { return String(Math.round(value * 10) / 10); }

  /* Grouped vertical bars: {categories: [...], series: [{name, values, className}], label, format}. */
  function bars(container, spec) {
    var format = spec.format || identity;
    var all = [];
    spec.series.forEach(function (s) { all = all.concat(s.values); });
    if (!spec.categories.length) { empty(container); return; }
    var svg = frame(container, spec.label, HEIGHT);
    var max = niceMax(Math.max.apply(null, all.concat([0])));
    var plotWidth = WIDTH - MARGIN.left - MARGIN.right;
    var plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
    var step = plotWidth / spec.categories.length;
    var barWidth = Math.max(2, (step * 0.8) / spec.series.length);
    yAxis(svg, max, HEIGHT, format);
    spec.series.forEach(function (s, si) {
      var group = svgEl("g", { class: "series series--" + s.className });
      s.values.forEach(function (value, i) {
        var h = (plotHeight * value) / max;
        var x = MARGIN.left + step * i + step * 0.1 + barWidth * si;
        var bar = svgEl("rect", { class: "bar bar--" + s.className, x: x, y: MARGIN.top + plotHeight - h, width: barWidth, height: Math.max(h, 0) });
        bar.appendChild(svgEl("title", {}, spec.categories[i] + " · " + s.name + ": " + format(value)));
        group.appendChild(bar);
      });
      svg.appendChild(group);
    });
    xLabels(svg, spec.categories, step, HEIGHT);
    if (spec.series.length > 1) {
      container.appendChild(Site.el("p", { class: "chart-key" }, spec.series.map(function (s) {
        return Site.el("span", {}, [Site.el("span", { class: "swatch key--" + s.className }), s.name]);
      })));
    }
    table(container, spec.label, [spec.categoryName || ""].concat(spec.series.map(function (s) { return s.name; })),
      spec.categories.map(function (name, i) { return [name].concat(spec.series.map(function (s) { return format(s.values[i]); })); }));
  }

  /* A line with dots: {categories, values (null for a gap), label, max, format, className}. */
  function line(container, spec) {
    var format = spec.format || identity;
    if (!spec.categories.length) { empty(container); return; }
    var svg = frame(container, spec.label, HEIGHT);
    var present = spec.values.filter(function (v) { return v !== null && v !== undefined; });
    var max = spec.max || niceMax(Math.max.apply(null, present.concat([0])));
    var plotWidth = WIDTH - MARGIN.left - MARGIN.right;
    var plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
    var step = plotWidth / spec.categories.length;
    yAxis(svg, max, HEIGHT, format);
    var points = [];
    spec.values.forEach(function (value, i) {
      if (value === null || value === undefined) { return; }
      points.push([MARGIN.left + step * (i + 0.5), MARGIN.top + plotHeight - (plotHeight * value) / max, value, spec.categories[i]]);
    });
    if (points.length > 1) {
      svg.appendChild(svgEl("polyline", { class: "line line--" + spec.className, points: points.map(function (p) { return p[0] + "," + p[1]; }).join(" ") }));
    }
    points.forEach(function (p) {
      var dot = svgEl("circle", { class: "dot dot--" + spec.className, cx: p[0], cy: p[1], r: 4 });
      dot.appendChild(svgEl("title", {}, p[3] + ": " + format(p[2])));
      svg.appendChild(dot);
    });
    xLabels(svg, spec.categories, step, HEIGHT);
    table(container, spec.label, [spec.categoryName || "", spec.valueName || ""],
      spec.categories.map(function (name, i) { return [name, spec.values[i] === null ? "–" : format(spec.values[i])]; }));
  }

  /* Horizontal bars with their value written: {categories, values (null: none), label, format, className}. */
  function hbars(container, spec) {
    var format = spec.format || identity;
    if (!spec.categories.length) { empty(container); return; }
    var rowHeight = 26;
    var left = 150;
    var height = MARGIN.top + rowHeight * spec.categories.length + 10;
    var svg = frame(container, spec.label, height);
    var max = niceMax(Math.max.apply(null, spec.values.filter(function (v) { return v !== null; }).concat([0])));
    var plotWidth = WIDTH - left - 60;
    spec.categories.forEach(function (name, i) {
      var value = spec.values[i];
      var y = MARGIN.top + rowHeight * i;
      svg.appendChild(svgEl("text", { class: "label", x: left - 8, y: y + rowHeight / 2 + 4, "text-anchor": "end" }, name));
      var w = value === null ? 0 : (plotWidth * value) / max;
      var bar = svgEl("rect", { class: "bar bar--" + spec.className, x: left, y: y + 4, width: Math.max(w, 0), height: rowHeight - 8 });
      bar.appendChild(svgEl("title", {}, name + ": " + (value === null ? "–" : format(value))));
      svg.appendChild(bar);
      svg.appendChild(svgEl("text", { class: "value", x: left + w + 6, y: y + rowHeight / 2 + 4 }, value === null ? "–" : format(value)));
    });
    table(container, spec.label, [spec.categoryName || "", spec.valueName || ""],
      spec.categories.map(function (name, i) { return [name, spec.values[i] === null ? "–" : format(spec.values[i])]; }));
  }

  window.Charts = { bars: bars, line: line, hbars: hbars };
})();

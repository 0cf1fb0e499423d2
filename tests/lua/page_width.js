// Injected by tests/lua/report_spec.lua into a copy of the HTML report:
// records on <body data-width> the page's width and every table, chart
// and section that reaches past the window, so --dump-dom shows whether
// the report reads at the window's width without scrolling sideways.
(function () {
  var over = [];
  document.querySelectorAll("table, svg, section, details").forEach(function (e) {
    var right = Math.round(e.getBoundingClientRect().right);
    if (right > window.innerWidth) over.push((e.id || e.tagName) + ":" + right);
  });
  document.body.setAttribute("data-width", document.documentElement.scrollWidth + " " +
    window.innerWidth + " " + over.join(","));
})();

// Label search over window.ADMINKG_SEARCH ([ko, en, page, class] per resource), in the browser.
// Results are built with textContent, never innerHTML: a label is shown as text, whatever it holds.
(function () {
  "use strict";
  var index = window.ADMINKG_SEARCH || [];
  var root = document.currentScript.src.replace(/static\/search\.js(\?.*)?$/, "");
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var summary = document.getElementById("summary");
  var LIMIT = 100;
  function norm(s) { return (s || "").normalize("NFC").toLowerCase().replace(/\s+/g, ""); }
  var keys = index.map(function (e) { return norm(e[0]) + "\u0000" + norm(e[1]); });
  function search() {
    var q = norm(input.value);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!q) { summary.textContent = ""; return; }
    var found = [];
    for (var i = 0; i < index.length; i++) {
      var at = keys[i].indexOf(q);
      if (at >= 0) { found.push([at === 0 ? 0 : 1, keys[i].length, i]); }
    }
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    summary.textContent = found.length + " 건 · results";
    found.slice(0, LIMIT).forEach(function (f) {
      var e = index[f[2]];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + e[2];
      a.textContent = e[0] && e[1] ? e[0] + " · " + e[1] : (e[0] || e[1]);
      li.appendChild(a);
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = e[3];
      li.appendChild(kind);
      list.appendChild(li);
    });
  }
  input.addEventListener("input", search);
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); }
  search();
})();

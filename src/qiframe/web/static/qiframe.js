// qiframe's page works without this script; with it, the statement editor counts words and checks
// citations as you type. The counting rule is the one of qiframe.statement.count_words: a word is a run of
// letters or digits joined through apostrophes, hyphens, dots, slashes and underscores, and through
// commas between digits.
"use strict";
(function () {
  var WORD = /[\p{L}\p{N}]+(?:(?:['\u2019._\/-]|(?<=\p{N}),(?=\p{N}))[\p{L}\p{N}]+)*/gu;
  var CITATION = /\[\s*(E-[A-Za-z0-9]+(?:\s*[,;]\s*E-[A-Za-z0-9]+)*)\s*\]/g;

  function countWords(text) {
    var found = text.match(WORD);
    return found ? found.length : 0;
  }

  function citedIds(text) {
    var out = [];
    var match;
    CITATION.lastIndex = 0;
    while ((match = CITATION.exec(text)) !== null) {
      (match[1].match(/E-[A-Za-z0-9]+/g) || []).forEach(function (id) {
        if (out.indexOf(id) < 0) { out.push(id); }
      });
    }
    return out;
  }

  function setup() {
    var areas = document.querySelectorAll("textarea[data-count]");
    if (!areas.length) { return; }
    var knownNode = document.getElementById("known-ids");
    var known = knownNode ? JSON.parse(knownNode.textContent) : [];
    var total = document.getElementById("section-count");
    function update() {
      var sum = 0;
      areas.forEach(function (area) {
        var words = countWords(area.value);
        sum += words;
        var out = document.getElementById(area.dataset.count);
        if (out) { out.querySelector(".js-words").textContent = words.toLocaleString("en-GB"); }
        var cites = document.getElementById(area.dataset.cites);
        if (cites) {
          var unknown = citedIds(area.value).filter(function (id) { return known.indexOf(id) < 0; });
          cites.textContent = unknown.length ? "Cites " + unknown.join(", ") + ", not in the evidence register." : "";
        }
      });
      if (total) {
        total.querySelector(".js-section-words").textContent = sum.toLocaleString("en-GB");
        var share = parseFloat(total.dataset.share);
        total.querySelector(".js-over").hidden = !(share && sum > share);
      }
    }
    areas.forEach(function (area) { area.addEventListener("input", update); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();

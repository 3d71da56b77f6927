/* The review page's keyboard: a approve, r reject (focus the reason), j/n next unit, k/p previous. */
(function () {
  "use strict";
  var units = Array.prototype.slice.call(document.querySelectorAll("section.unit"));
  if (!units.length) { return; }
  var current = -1;

  function select(index, scroll) {
    if (index < 0 || index >= units.length) { return; }
    if (current >= 0) { units[current].classList.remove("current"); }
    current = index;
    var unit = units[index];
    unit.classList.add("current");
    if (scroll !== false) {
      unit.focus({preventScroll: true});
      unit.scrollIntoView({block: "center"});
    }
    if (history.replaceState) { history.replaceState(null, "", "#" + unit.id); }
  }

  function start() {
    var match = /^#u(\d+)$/.exec(location.hash);
    if (match) {
      for (var i = 0; i < units.length; i++) { if (units[i].id === "u" + match[1]) { return i; } }
    }
    for (var j = 0; j < units.length; j++) { if (units[j].dataset.open === "1") { return j; } }
    return 0;
  }

  units.forEach(function (unit, index) {
    unit.addEventListener("click", function () { if (index !== current) { select(index, false); } });
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var field = target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    if (field) {
      if (event.key === "Escape") { target.blur(); units[current].focus({preventScroll: true}); }
      else if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && target.form) {
        event.preventDefault();
        target.form.requestSubmit();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var unit = units[current];
    if (event.key === "j" || event.key === "n") { event.preventDefault(); select(current + 1); }
    else if (event.key === "k" || event.key === "p") { event.preventDefault(); select(current - 1); }
    else if (event.key === "a") {
      var approve = unit.querySelector("button[data-action=approve]");
      if (approve && !approve.disabled) { event.preventDefault(); approve.form.requestSubmit(approve); }
    } else if (event.key === "r") {
      var reason = unit.querySelector("textarea[name=reason]");
      if (reason && !reason.disabled) {
        event.preventDefault();
        var box = reason.closest("details");
        if (box) { box.open = true; }
        reason.focus();
      }
    }
  });

  select(start());
})();

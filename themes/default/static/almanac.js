// almanac default theme: progressive enhancement only. Every page works without it.
(function () {
  "use strict";
  var labels = document.documentElement.lang.indexOf("zh") === 0
    ? { copy: document.documentElement.lang.match(/tw|hk|hant/i) ? "複製連結" : "复制链接", copied: document.documentElement.lang.match(/tw|hk|hant/i) ? "已複製" : "已复制" }
    : { copy: "Copy link", copied: "Copied" };

  // Playbook checklists: numbered steps and task items, ticked state kept per page.
  var bar = document.querySelector(".checklist-bar");
  if (bar) {
    var key = "almanac:checklist:" + bar.getAttribute("data-checklist");
    var state = {};
    try { state = JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { state = {}; }
    var boxes = [];
    document.querySelectorAll("li.step").forEach(function (li) {
      var box = document.createElement("input");
      box.type = "checkbox";
      box.className = "check";
      box.setAttribute("data-check", li.getAttribute("data-check"));
      box.setAttribute("aria-label", "Step " + li.getAttribute("data-check"));
      li.insertBefore(box, li.firstChild);
      li.classList.add("has-check");
    });
    document.querySelectorAll(".content input.check").forEach(function (box) {
      box.disabled = false;
      var id = box.getAttribute("data-check");
      if (id in state) box.checked = !!state[id];
      boxes.push(box);
      box.addEventListener("change", function () { state[id] = box.checked; save(); update(); });
    });
    var save = function () { try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) {} };
    var progress = bar.querySelector("progress");
    var count = bar.querySelector(".checklist-count");
    var total = boxes.length;
    var update = function () {
      var done = 0;
      boxes.forEach(function (b) { if (b.checked) done++; var li = b.closest("li"); if (li) li.classList.toggle("is-done", b.checked); });
      progress.max = total; progress.value = done;
      count.textContent = done + " / " + total + " " + count.textContent.replace(/^[\d\s\/]+/, "").trim();
    };
    bar.querySelector(".checklist-reset").addEventListener("click", function () {
      state = {}; save(); boxes.forEach(function (b) { b.checked = false; }); update();
    });
    bar.querySelector(".print-button").addEventListener("click", function () { window.print(); });
    bar.hidden = false;
    update();
  }

  // FAQ: a copy-link control on every question.
  document.querySelectorAll(".kind-faq .content h2[id]").forEach(function (h) {
    if (!navigator.clipboard) return;
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy-link";
    b.textContent = labels.copy;
    b.addEventListener("click", function () {
      var url = location.href.split("#")[0] + "#" + h.id;
      navigator.clipboard.writeText(url).then(function () {
        b.textContent = labels.copied;
        setTimeout(function () { b.textContent = labels.copy; }, 1500);
      });
    });
    h.appendChild(b);
  });
})();

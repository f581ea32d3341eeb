/* Award reveal ceremony: PageDown / → / Space / ↓ reveal the next row up; PageUp / ← / ↑ take it back.
   Presenter clickers send PageDown/PageUp. The board itself updates over Socket.IO like every screen. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("board-config").textContent);
  var token = document.querySelector('meta[name="csrf-token"]');
  var busy = false;
  function step(delta) {
    if (busy || !cfg.stepUrl) return;
    busy = true;
    fetch(cfg.stepUrl, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token ? token.content : "" },
      body: JSON.stringify({ delta: delta }) })
      .then(function (r) { return r.json(); })
      .then(function () { if (window.scoringBoard) window.scoringBoard.resync(); })
      .catch(function () {})
      .then(function () { busy = false; });
  }
  document.addEventListener("keydown", function (e) {
    if (["PageDown", "ArrowRight", "ArrowDown", " ", "Spacebar", "Enter"].indexOf(e.key) >= 0) { e.preventDefault(); step(1); }
    else if (["PageUp", "ArrowLeft", "ArrowUp", "Backspace"].indexOf(e.key) >= 0) { e.preventDefault(); step(-1); }
  });
})();

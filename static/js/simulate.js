// The demo's judge simulator on the console: polls the run (URL in #simulation[data-url]) and shows
// marks sent / remaining until it is done or failed. Words come from data-* (CSP: no inline script).
(function () {
  var box = document.getElementById('simulation');
  if (!box) { return; }
  var d = box.dataset;
  var bar = document.getElementById('sim-progress');
  var count = document.getElementById('sim-count');
  var state = document.getElementById('sim-state');
  var button = box.querySelector('button[type=submit]');
  function show(j) {
    document.getElementById('sim-bar').hidden = j.state === 'idle';
    bar.max = Math.max(1, j.total);
    bar.value = j.sent;
    count.textContent = j.total ? d.sent + ' ' + j.sent + ' / ' + j.total + ' · ' + d.left + ' ' + j.remaining : '';
    box.dataset.state = j.state;
    if (j.state === 'done') { state.textContent = d.done; }
    else if (j.state === 'failed') { state.textContent = d.failed + ': ' + j.error; }
    else if (j.state === 'running' || j.state === 'starting') { state.textContent = d.running; }
    button.disabled = j.state === 'running' || j.state === 'starting';
  }
  function poll() {
    fetch(d.url, {headers: {'Accept': 'application/json'}, credentials: 'same-origin'})
      .then(function (r) { return r.json(); })
      .then(function (j) {
        show(j);
        if (j.state === 'running' || j.state === 'starting') { setTimeout(poll, 700); }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();

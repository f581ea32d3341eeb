// Batch PDF progress: polls the job (URL in #job[data-url]) until the PDF is ready or failed.
// Translated words come from data-ready / data-failed on #job (no inline script: CSP script-src 'self').
(function () {
  var box = document.getElementById('job');
  if (!box) { return; }
  var ready = box.dataset.ready, failed = box.dataset.failed;
  function poll() {
    fetch(box.dataset.url, {headers: {'Accept': 'application/json'}}).then(function (r) { return r.json(); }).then(function (j) {
      document.getElementById('job-progress').value = j.done;
      document.getElementById('job-count').textContent = j.done;
      if (j.state === 'done') { document.getElementById('job-state').textContent = ready; document.getElementById('job-download').hidden = false; }
      else if (j.state === 'failed') { document.getElementById('job-state').textContent = failed + ': ' + j.error; }
      else { setTimeout(poll, 500); }
    }).catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();

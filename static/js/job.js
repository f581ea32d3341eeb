// A job's progress (an export, a batch PDF, an import): polls #job[data-url] until the job is done or
// failed, then shows the download link or what the job says. Translated words come from data-* on
// #job (no inline script: CSP script-src 'self').
(function () {
  var box = document.getElementById('job');
  if (!box) { return; }
  function text(id, value) { document.getElementById(id).textContent = value; }
  function poll() {
    fetch(box.dataset.url, {headers: {'Accept': 'application/json'}}).then(function (r) { return r.json(); }).then(function (j) {
      var bar = document.getElementById('job-progress');
      bar.max = j.total || 1;
      bar.value = j.done;
      text('job-count', j.done);
      text('job-total', j.total);
      if (j.state === 'done') {
        text('job-state', j.message || box.dataset.ready);
        if (j.download) { var a = document.getElementById('job-download'); a.href = j.download; a.hidden = false; }
      } else if (j.state === 'failed') {
        text('job-state', box.dataset.failed + (j.error ? ': ' + j.error : ''));
        var list = document.getElementById('job-problems');
        list.textContent = '';
        j.problems.concat(j.more ? [j.more] : []).forEach(function (p) {
          var li = document.createElement('li'); li.textContent = p; list.appendChild(li);
        });
      } else {
        text('job-state', j.state === 'queued' ? box.dataset.queued : box.dataset.working);
        setTimeout(poll, 500);
      }
    }).catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();

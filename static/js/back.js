// "Go back" links (a[data-back]): the browser's history, without a javascript: URL (CSP script-src 'self').
(function () {
  document.querySelectorAll('a[data-back]').forEach(function (a) {
    a.addEventListener('click', function (e) { e.preventDefault(); window.history.back(); });
  });
})();

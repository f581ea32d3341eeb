/* The clerks' paper sheet entry (templates/clerk/entry.html): keyboard first.
   Enter in a box moves to the next box (a numeric keypad's Enter is next to its digits); Enter on
   the last box saves. Where the browser has BarcodeDetector, the camera button reads the sheet's
   QR code and opens the sheet like a USB scanner would (no library, nothing from the network). */
(function () {
  "use strict";
  var form = document.getElementById("clk-entry");
  if (form) {
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input.clk-value"));
    boxes.forEach(function (box, i) {
      box.addEventListener("keydown", function (ev) {
        if (ev.key !== "Enter" || ev.isComposing) return;
        if (i < boxes.length - 1) {
          ev.preventDefault();
          boxes[i + 1].focus();
          boxes[i + 1].select();
        }
      });
    });
  }

  var camera = document.getElementById("clk-camera");
  var scan = document.getElementById("clk-scan");
  var field = document.getElementById("clk-sheet");
  var video = document.getElementById("clk-video");
  var problem = document.getElementById("clk-camera-error");
  if (!camera || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  camera.hidden = false;
  var stream = null;

  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
  }

  camera.addEventListener("click", function () {
    if (stream) { stop(); return; }
    var detector;
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
    if (!detector) { problem.textContent = camera.dataset.error; problem.hidden = false; return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      return video.play().then(function look() {
        if (!stream) return;
        detector.detect(video).then(function (codes) {
          if (codes.length && codes[0].rawValue) {
            field.value = codes[0].rawValue;
            stop();
            scan.submit();
          } else {
            window.setTimeout(look, 200);
          }
        }, function () { window.setTimeout(look, 400); });
      });
    }).catch(function () {
      stop();
      problem.textContent = camera.dataset.error;
      problem.hidden = false;
    });
  });
})();

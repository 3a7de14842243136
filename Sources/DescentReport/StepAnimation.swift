/// The inline script that animates a page step by step (the only script Descent's pages carry).
///
/// It drives the controls of an ``HTMLReport/Block/stepper(steps:)`` block: at step k every
/// element with `data-step` above k is hidden, and every `polyline` with `data-steps` (one step
/// number per point) keeps only its points up to step k. "Play" advances one step every 150 ms
/// from the start; the slider picks a step; an address ending in `#step=10` opens at step 10. It fetches nothing, uses no library, and the page
/// opens at the last step, so without JavaScript the whole run is shown. When it has set up the
/// controls it marks the page `<html data-step-animation="ready">` (what the browser check looks for).
///
/// Example: a path `<polyline points="0,0 5,5 9,9" data-steps="0 1 2">` shows "0,0 5,5" at step 1.
public enum StepAnimation {
    public static let script = """
    (function () {
      var slider = document.getElementById('dc-step');
      var label = document.getElementById('dc-step-label');
      var button = document.getElementById('dc-play');
      if (!slider || !label || !button) { return; }
      var lines = Array.prototype.map.call(document.querySelectorAll('polyline[data-steps]'), function (element) {
        return { element: element, points: element.getAttribute('points').trim().split(/\\s+/),
                 steps: element.getAttribute('data-steps').trim().split(/\\s+/).map(Number) };
      });
      var dots = Array.prototype.slice.call(document.querySelectorAll('[data-step]'));
      var last = Number(slider.max);
      function show(step) {
        lines.forEach(function (line) {
          var kept = [];
          for (var i = 0; i < line.points.length; i++) { if (line.steps[i] <= step) { kept.push(line.points[i]); } }
          line.element.setAttribute('points', kept.join(' '));
        });
        dots.forEach(function (dot) { dot.style.display = Number(dot.getAttribute('data-step')) <= step ? '' : 'none'; });
        slider.value = String(step);
        label.textContent = 'step ' + step + ' of ' + last;
      }
      var timer = null;
      function stop() { if (timer !== null) { clearInterval(timer); timer = null; } button.textContent = 'Play'; }
      button.addEventListener('click', function () {
        if (timer !== null) { stop(); return; }
        if (Number(slider.value) >= last) { show(0); }
        button.textContent = 'Pause';
        timer = setInterval(function () {
          var next = Number(slider.value) + 1;
          if (next > last) { stop(); return; }
          show(next);
        }, 150);
      });
      slider.addEventListener('input', function () { stop(); show(Number(slider.value)); });
      var asked = /(?:^#|&)step=(\\d+)/.exec(window.location.hash);
      show(asked ? Math.min(Number(asked[1]), last) : last);
      document.documentElement.setAttribute('data-step-animation', 'ready');
    })();
    """
}

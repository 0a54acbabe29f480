// Progressive enhancement only: every journey works without this file.
import { initAll } from '/assets/govuk-frontend.min.js';

initAll();

// A scrolling region (a wide table or the chart: .app-table-scroll, .app-chart) takes keyboard
// focus so it can be scrolled with the arrow keys. Where it fits and nothing scrolls, that stop
// is only in the way, so it is taken out until the region overflows again (a narrower window,
// zoom). Without this script every region keeps its stop, which is harmless.
const regions = document.querySelectorAll('.app-table-scroll[tabindex], .app-chart[tabindex]');
const fitFocus = () => {
  for (const region of regions) {
    if (region.scrollWidth > region.clientWidth) {
      region.setAttribute('tabindex', '0');
    } else if (document.activeElement !== region) {
      region.removeAttribute('tabindex');
    }
  }
};
if (regions.length > 0) {
  fitFocus();
  new ResizeObserver(fitFocus).observe(document.documentElement);
}

// Starts the API documentation on /redoc (Redoc), served from static/vendor: nothing is
// loaded from another host, and no inline script is needed. Its styles pass the page's
// Content-Security-Policy by hash (app/web/security.py, REDOC_STYLE_HASHES).
(function () {
  "use strict";
  var container = document.getElementById("redoc");
  if (container && window.Redoc) {
    window.Redoc.init(
      container.dataset.openapiUrl,
      {
        // search runs in a Web Worker made from a blob: URL, which the policy refuses
        // (worker-src falls back to script-src 'self')
        disableSearch: true,
        theme: {
          typography: {
            fontFamily: '"Noto Sans Variable", "Noto Sans", system-ui, sans-serif',
            headings: { fontFamily: '"Noto Sans Variable", "Noto Sans", system-ui, sans-serif' },
          },
        },
      },
      container,
    );
  }
})();

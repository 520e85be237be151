// Starts the API documentation on /docs (Swagger UI), served from
// static/vendor: nothing is loaded from another host, and no inline script is needed.
(function () {
  "use strict";
  var swagger = document.getElementById("swagger-ui");
  if (swagger && window.SwaggerUIBundle) {
    window.SwaggerUIBundle({
      url: swagger.dataset.openapiUrl,
      dom_id: "#swagger-ui",
      deepLinking: true,
      layout: "BaseLayout",
      presets: [window.SwaggerUIBundle.presets.apis],
      validatorUrl: null, // the default badge asks validator.swagger.io
      tryItOutEnabled: false,
    });
  }
})();

// The API page (/docs): Swagger UI (vendored, /static/vendor) over /openapi.json.  "Try it
// out" sends the session's CSRF token with each change, as the app's own pages do.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  requestInterceptor: (request) => {
    request.headers["X-CSRF-Token"] = document.querySelector('meta[name="csrf-token"]').content;
    return request;
  },
});

"""The HTML pages and HTMX partials: thin routes over the same services and queries as the API."""

"""Read models: what pages and the API show, each in a fixed number of queries."""

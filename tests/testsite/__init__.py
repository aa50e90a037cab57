"""A local test news site: a real HTTP server on 127.0.0.1 (server.py) and its pages (site.py)."""

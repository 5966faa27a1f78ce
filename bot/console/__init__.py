"""The mediator console: server-rendered French pages at ``/console`` (Jinja2, autoescaped)."""

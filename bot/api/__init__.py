"""HTTP routes of the web app."""

"""The parent console's Qt Widgets face. Logic lives in app.gui.session (no Qt), app.store and app.reports."""

"""The Thessaloniki GIS portal: settings, URL wiring and the health check."""

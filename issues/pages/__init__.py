"""The site's pages about reports: server-rendered templates whose scripts call the public APIs."""

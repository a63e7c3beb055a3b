"""Reference data bundled with the shared package (see README.md for provenance)."""

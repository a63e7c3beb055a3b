"""Code every Berdaya service shares. Services import from here, never from one another."""

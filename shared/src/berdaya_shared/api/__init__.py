"""HTTP pieces every service's API uses."""

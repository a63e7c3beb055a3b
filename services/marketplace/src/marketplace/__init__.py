"""Marketplace service: seller profiles of graduates, product catalogue."""

"""Monitoring service: follow-up plans after graduation, visits, overdue visits."""

"""Training service: roster from enrolments, cohorts, attendance, graduation."""

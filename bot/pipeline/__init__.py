"""The fact pipeline: normalise → drop page noise → sentences → numbers → units →
topic → subject → period and status → store."""
